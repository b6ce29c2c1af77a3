"""The triage text classifier: what it learns, how it explains itself, how it
is stored, and that no input makes it fail."""

from __future__ import annotations

import csv
import io
import itertools
import json
import random
import time
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deskwise.testing import shared_data
from deskwise.triage.classifier import (
    FORMAT_VERSION,
    Prediction,
    TextClassifier,
    evaluate,
)

OUTAGE = [
    "The server is down and nobody can connect",
    "Website outage, the pages do not load at all",
    "The whole network is down since this morning",
    "Mail server not responding, outage for everyone in the office",
    "VPN is down for the entire building",
    "Production system outage, all services unavailable",
    "The intranet is down again, nothing loads",
    "Major outage: the file server does not respond",
    "Nobody can reach the database server, it is down",
    "The shared drive is unreachable for the whole team, outage",
]
PASSWORD = [
    "I forgot my password and cannot log in",
    "Please reset my password",
    "My password expired and I need a new one",
    "Locked out of my account after typing the wrong password",
    "How do I change my password?",
    "Password reset link does not arrive",
    "I need a password reset for my email account",
    "My password is not accepted any more",
    "Can you unlock my account, I mistyped my password",
]
PRINTER = [
    "The printer on floor 2 jams on every page",
    "Printer prints blank pages",
    "Cannot add the printer in the meeting room",
    "The printer is out of toner",
    "Print jobs stay in the printer queue forever",
    "The printer shows a paper jam error",
]
WEIRD = [
    "",
    " \n\t ",
    "\x00\x00",
    "password\x00reset",
    "x" * 200_000,
    "服务器 down 🔥 Ошибка",
    "🔥" * 1000,
    "\ud800 a lone surrogate \udfff",
    "\uff30\uff41\uff53\uff53\uff57\uff4f\uff52\uff44 \uff52\uff45\uff53\uff45\uff54",
    "<html><body><p>server &amp; network down</p></body></html>",
    "zzqx qqzv",
]


@pytest.fixture(scope="module")
def toy() -> TextClassifier:
    return TextClassifier.fit(
        OUTAGE + PASSWORD, ["outage"] * len(OUTAGE) + ["password"] * len(PASSWORD)
    )


@pytest.fixture(scope="module")
def three() -> TextClassifier:
    texts = OUTAGE + PASSWORD + PRINTER
    labels = ["outage"] * len(OUTAGE) + ["password"] * len(PASSWORD) + ["printer"] * len(PRINTER)
    return TextClassifier.fit(texts, labels, seed=3)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("the payroll server seems to be down for our team", "outage"),
        ("outage: nothing on the network responds", "outage"),
        ("can you reset the password for my account", "password"),
        ("I cannot log in, forgot the password", "password"),
    ],
)
def test_learns_a_separable_problem(toy: TextClassifier, text: str, label: str) -> None:
    prediction = toy.predict(text)
    assert prediction.label == label
    assert 0.5 < prediction.confidence <= 1.0


def test_three_labels(three: TextClassifier) -> None:
    assert three.classes == ("outage", "password", "printer")
    assert three.predict("the printer jams again").label == "printer"
    assert three.predict("email server down for everyone").label == "outage"
    assert three.predict("reset my password please").label == "password"


def test_terms_explain_the_prediction(toy: TextClassifier) -> None:
    text = "Please reset the password of my account"
    prediction = toy.predict(text)
    assert prediction.label == "password"
    assert 1 <= len(prediction.terms) <= 5
    words = set(text.lower().split())
    for term in prediction.terms:
        assert set(term.split()) <= words
    assert "password" in " ".join(prediction.terms)


def test_round_trip_gives_identical_predictions(toy: TextClassifier, three: TextClassifier) -> None:
    texts = [*OUTAGE, *PASSWORD, *PRINTER, *WEIRD, "the printer is down, reset it"]
    for model in (toy, three):
        loaded = TextClassifier.from_bytes(model.to_bytes())
        assert loaded.classes == model.classes
        assert loaded.predict_many(texts) == model.predict_many(texts)
        assert [loaded.predict(t) for t in texts] == model.predict_many(texts)
        assert _same_arrays(loaded.to_bytes(), model.to_bytes())


def _arrays(blob: bytes) -> dict[str, np.ndarray]:
    with np.load(io.BytesIO(blob), allow_pickle=False) as stored:
        return {name: stored[name] for name in stored.files}


def _same_arrays(first: bytes, second: bytes) -> bool:
    a, b = _arrays(first), _arrays(second)
    return a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)


def test_blob_holds_no_pickle(three: TextClassifier) -> None:
    with np.load(io.BytesIO(three.to_bytes()), allow_pickle=False) as arrays:
        assert int(arrays["format_version"]) == FORMAT_VERSION
        for name in arrays.files:
            assert arrays[name].dtype.kind != "O", name


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not a model",
        bytes(range(256)) * 8,
        b"PK\x03\x04" + b"\x00" * 100,
    ],
)
def test_from_bytes_rejects_garbage(data: bytes) -> None:
    with pytest.raises(ValueError, match="triage model"):
        TextClassifier.from_bytes(data)


def test_from_bytes_rejects_a_truncated_or_foreign_npz(toy: TextClassifier) -> None:
    blob = toy.to_bytes()
    with pytest.raises(ValueError, match="triage model"):
        TextClassifier.from_bytes(blob[: len(blob) // 2])
    buffer = io.BytesIO()
    np.savez_compressed(buffer, weights=np.zeros(3))
    with pytest.raises(ValueError, match="triage model"):
        TextClassifier.from_bytes(buffer.getvalue())


def test_from_bytes_rejects_an_unknown_format_version(toy: TextClassifier) -> None:
    arrays = _arrays(toy.to_bytes())
    arrays["format_version"] = np.array(FORMAT_VERSION + 1, dtype=np.int64)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    with pytest.raises(ValueError, match="version"):
        TextClassifier.from_bytes(buffer.getvalue())


def _damage_meta(arrays: dict[str, np.ndarray]) -> None:
    meta = json.loads(arrays["meta"].tobytes())
    meta["word_analyzer"] = "something else"
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)


def _repeat_a_term(arrays: dict[str, np.ndarray]) -> None:
    raw, offsets = arrays["word_terms"].tobytes(), arrays["word_offsets"].tolist()
    terms = [raw[a:b] for a, b in itertools.pairwise(offsets)]
    terms[1] = terms[0]
    arrays["word_terms"] = np.frombuffer(b"".join(terms), dtype=np.uint8)
    arrays["word_offsets"] = np.cumsum([0, *map(len, terms)], dtype=np.int64)


@pytest.mark.parametrize(
    "damage",
    [
        lambda a: a.update(coef=a["coef"][:, :-1]),
        lambda a: a.update(coef=a["coef"].astype(np.float64)),
        lambda a: a.update(intercept=a["intercept"][:1]),
        lambda a: a.update(majority=np.array(99)),
        lambda a: a.update(temperature=np.array(-1.0)),
        lambda a: a.update(class_offsets=a["class_offsets"][:-1]),
        lambda a: a.update(classes=np.full(len(a["classes"]), 0xFF, dtype=np.uint8)),
        lambda a: a.pop("word_idf"),
        _damage_meta,
        _repeat_a_term,
    ],
)
def test_from_bytes_rejects_damaged_arrays(toy: TextClassifier, damage: Any) -> None:
    arrays = _arrays(toy.to_bytes())
    damage(arrays)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    with pytest.raises(ValueError, match="damaged"):
        TextClassifier.from_bytes(buffer.getvalue())


@pytest.mark.parametrize("text", WEIRD)
def test_predict_never_raises(three: TextClassifier, text: str) -> None:
    started = time.perf_counter()
    prediction = three.predict(text)
    assert time.perf_counter() - started < 2.0
    assert isinstance(prediction, Prediction)
    assert prediction.label in three.classes
    assert 0.0 <= prediction.confidence <= 1.0
    assert all(isinstance(term, str) and term for term in prediction.terms)


@pytest.mark.parametrize("text", ["", "   ", "\x00\x00", "%%%% ####"])
def test_no_evidence_gives_the_most_common_label_with_low_confidence(
    three: TextClassifier, text: str
) -> None:
    prediction = three.predict(text)
    assert prediction.label == "outage" == three.majority_label
    assert prediction.confidence < 0.5
    assert prediction.terms == ()


def test_predict_many_matches_predict(three: TextClassifier) -> None:
    texts = [*WEIRD, *PRINTER]
    assert three.predict_many(texts) == [three.predict(t) for t in texts]
    assert three.predict_many([]) == []


def test_fit_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="nothing"):
        TextClassifier.fit([], [])
    with pytest.raises(ValueError, match="labels"):
        TextClassifier.fit(["a text"], ["one", "two"])


def test_fit_copes_with_degenerate_material() -> None:
    single = TextClassifier.fit(["printer jams", "printer broken"], ["printer", "printer"])
    assert single.predict("the printer").label == "printer"
    assert TextClassifier.from_bytes(single.to_bytes()).predict("x") == single.predict("x")
    blank = TextClassifier.fit(["", "\x00", "  "], ["a", "b", "b"])
    assert blank.predict("anything at all") == Prediction("b", 0.0, ())


def test_fit_is_reproducible() -> None:
    texts = OUTAGE + PASSWORD + PRINTER
    labels = ["outage"] * len(OUTAGE) + ["password"] * len(PASSWORD) + ["printer"] * len(PRINTER)
    first = TextClassifier.fit(texts, labels, seed=7)
    again = TextClassifier.fit(texts, labels, seed=7)
    assert _same_arrays(first.to_bytes(), again.to_bytes())


@settings(max_examples=50, deadline=None)
@given(text=st.text(max_size=400))
def test_predict_on_any_text(three: TextClassifier, text: str) -> None:
    prediction = three.predict(text)
    assert prediction.label in three.classes
    assert 0.0 <= prediction.confidence <= 1.0


@pytest.mark.realdata
def test_evaluate_beats_the_baseline_on_banking77() -> None:
    folder = shared_data() / "requests" / "banking77" / "banking_data"
    if not (folder / "train.csv").is_file():
        pytest.skip(f"banking77 not found at {folder}")

    def read(name: str) -> list[tuple[str, str]]:
        with (folder / name).open(newline="", encoding="utf-8") as f:
            return [(row["text"], row["category"]) for row in csv.DictReader(f)]

    train, test = read("train.csv"), read("test.csv")
    intents = sorted({label for _, label in train})[:12]
    rng = random.Random(0)
    train = rng.sample([row for row in train if row[1] in intents], 600)
    test = rng.sample([row for row in test if row[1] in intents], 240)
    result = evaluate(train, test, seed=0)
    print(f"banking77, 12 intents: {result}")
    assert result["n_train"] == 600
    assert result["n_test"] == 240
    assert result["n_labels"] == 12
    assert result["accuracy"] > result["baseline_accuracy"] + 0.4
    assert result["macro_f1"] > result["baseline_macro_f1"] + 0.4
    assert result["accuracy"] > 0.75
    assert result["fit_seconds"] > 0
    assert result["predict_per_second"] > 100
