"""How well the triage classifier learns labels from real request texts.

Two public sets from ``../shared/data/requests`` (see its README):

* banking77: 13,083 customer-support queries in 77 intents, with the
  dataset's own train/test split.
* dotnet-github-labeler: 1,615 corefx issues (title and description) in 22
  skewed areas, split 80/20 at random with the seed. Areas with fewer than
  ``MIN_PER_LABEL`` training examples are left out of both splits, and the
  training split would be capped at ``MAX_TRAIN`` issues by a seeded sample
  (a fit takes 8-11 ms per issue, so under a minute at the cap); this
  set's 1,292 never reach it.

Each gets ``deskwise.triage.classifier.evaluate``: accuracy and macro-F1 next
to always answering the most common label, and the fit and prediction speed.

Run: ``.venv/bin/python -m deskwise.bench.triage_eval``.
"""

from __future__ import annotations

import csv
import json
import os
import random
from collections import Counter
from pathlib import Path

import pytest

from deskwise.triage.classifier import evaluate

BANKING = Path("requests/banking77/banking_data")
DOTNET = Path("requests/dotnet-github-labeler/samples")
DOTNET_FILE = "corefx-issues-train.tsv"
MIN_PER_LABEL = 5
TEST_SHARE = 0.2
MAX_TRAIN = 5_000

Examples = list[tuple[str, str]]


def _data_root() -> Path | str:
    """The shared data folder, or why it cannot be used."""
    from django.apps import apps

    if not apps.ready:
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "deskwise.settings")
        django.setup()
    from deskwise.testing import shared_data

    try:
        return shared_data()
    except (pytest.skip.Exception, pytest.fail.Exception) as exc:
        return str(exc) or "the shared data folder is missing"


def _banking77(root: Path, seed: int) -> dict[str, object]:
    folder = root / BANKING
    if not (folder / "train.csv").is_file() or not (folder / "test.csv").is_file():
        return {"skipped": f"banking77 not found at {folder}"}

    def read(name: str) -> Examples:
        with (folder / name).open(newline="", encoding="utf-8") as f:
            return [(row["text"], row["category"]) for row in csv.DictReader(f)]

    result: dict[str, object] = {"split": "the dataset's own train.csv / test.csv"}
    result.update(evaluate(read("train.csv"), read("test.csv"), seed=seed))
    return result


def _dotnet(root: Path, seed: int) -> dict[str, object]:
    found = sorted((root / DOTNET).rglob(DOTNET_FILE))
    if not found:
        return {"skipped": f"{DOTNET_FILE} not found under {root / DOTNET}"}
    with found[0].open(newline="", encoding="utf-8") as f:
        rows: Examples = [
            (f"{row['Title']}\n{row['Description']}", row["Area"])
            for row in csv.DictReader(f, delimiter="\t")
        ]
    rng = random.Random(seed)
    rng.shuffle(rows)
    cut = int(len(rows) * TEST_SHARE)
    test, train = rows[:cut], rows[cut:]
    counts = Counter(label for _, label in train)
    rare = {label for _, label in rows if counts[label] < MIN_PER_LABEL}
    kept_train = [(t, label) for t, label in train if label not in rare]
    kept_test = [(t, label) for t, label in test if label not in rare]
    result: dict[str, object] = {
        "split": f"seeded random {1 - TEST_SHARE:.0%}/{TEST_SHARE:.0%} of {len(rows)} issues",
        "min_per_label": MIN_PER_LABEL,
        "dropped_labels": sorted(rare),
        "dropped_rows": len(rows) - len(kept_train) - len(kept_test),
        "train_cap": MAX_TRAIN,
        "capped": len(kept_train) > MAX_TRAIN,
    }
    if len(kept_train) > MAX_TRAIN:
        kept_train = rng.sample(kept_train, MAX_TRAIN)
    result.update(evaluate(kept_train, kept_test, seed=seed))
    return result


def run(seed: int = 0) -> dict[str, object]:
    """Each dataset's evaluation, or ``{"skipped": reason}`` without the data."""
    root = _data_root()
    if isinstance(root, str):
        return {"skipped": root}
    return {
        "seed": seed,
        "banking77": _banking77(root, seed),
        "dotnet-github-labeler": _dotnet(root, seed),
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
