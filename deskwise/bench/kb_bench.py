"""Knowledge base in the bench: import the real docs, measure how well the
suggestions answer realistic questions, and how fast search and suggestions
are on the bench's database.

Run alone: ``.venv/bin/deskwise shell -c "from deskwise.bench import kb_bench; print(kb_bench.run())"``
(it imports the docs into the database it is pointed at).
"""

from __future__ import annotations

import statistics
import time
from typing import Any

import pytest

from deskwise.bench import kb_eval
from deskwise.kb.models import Article

DOCS = "kb/aalto-scicomp-docs"
LATENCY_QUERIES = [
    "printer",
    "vpn connection drops",
    "password reset",
    "laptop screen",
    "outlook",
    '"quoted phrase" AND (broken',
    "slurm job killed memory",
    "jupyter notebook kernel",
]


def _docs() -> Any:
    from deskwise.testing import shared_data

    try:
        return shared_data() / DOCS
    except pytest.skip.Exception as exc:
        return str(exc)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _timed(call: Any, rounds: int) -> dict[str, float]:
    took = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        took.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": round(statistics.median(took), 2),
        "p95_ms": round(_percentile(took, 0.95), 2),
        "calls": rounds,
    }


def _other_searchers() -> list[tuple[str, Any]]:
    """An admin (who sees every ticket; an unsaved one if the desk has none, as
    the bench's fill makes none) and a requester (who sees their own: the
    bench's heavy requester when there is one)."""
    from deskwise.accounts.choices import Role
    from deskwise.accounts.models import User
    from deskwise.bench.fill import BENCH_REQUESTER

    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    requester = (
        User.objects.filter(username=BENCH_REQUESTER).first()
        or User.objects.filter(role=Role.REQUESTER, is_active=True, contact__isnull=False)
        .order_by("pk")
        .first()
    )
    return [
        ("admin", admin or User(username="bench-admin", role=Role.ADMIN)),
        ("requester", requester),
    ]


def run(*, rounds: int = 40) -> dict[str, object]:
    """Import the docs (once), then hit@k of the suggestions next to a naive
    title-overlap baseline, and in-process latency of search and suggest."""
    from deskwise.accounts.models import User
    from deskwise.kb.importer import import_folder
    from deskwise.search.selectors import search, suggest_articles

    docs = _docs()
    if isinstance(docs, str):
        return {"skipped": docs}
    started = time.perf_counter()
    report = import_folder(docs)
    imported_s = time.perf_counter() - started
    by_slug = dict(Article.objects.exclude(source_path="").values_list("slug", "source_path"))

    def suggest(text: str, k: int) -> list[str]:
        return [by_slug.get(hit.slug, "") for hit in suggest_articles(text, limit=k)]

    titles = dict(Article.objects.exclude(source_path="").values_list("source_path", "title"))
    quality = kb_eval.evaluate(suggest)
    baseline = kb_eval.evaluate(kb_eval.title_overlap_suggester(titles))
    agent = User.objects.filter(role__in=["agent", "supervisor"]).order_by("pk").first()
    latency: dict[str, object] = {}
    question = kb_eval.QUESTIONS[0][0]
    latency["suggest"] = _timed(lambda: suggest_articles(question, limit=5), rounds)
    for role, user in (("agent", agent), *_other_searchers()):
        if user is not None:
            queries = iter(LATENCY_QUERIES * rounds)
            latency[f"search_{role}"] = _timed(
                lambda user=user, queries=queries: search(user=user, q=next(queries)), rounds
            )
    return {
        "articles": len(by_slug),
        "import_seconds": round(imported_s, 1),
        "import_report": str(report)[:300],
        "questions": quality["n"],
        "suggest_hit_at_1": quality["hit_at_1"],
        "suggest_hit_at_3": quality["hit_at_3"],
        "suggest_mrr": quality["mrr"],
        "title_overlap_hit_at_1": baseline["hit_at_1"],
        "title_overlap_hit_at_3": baseline["hit_at_3"],
        "latency_in_process": latency,
    }
