"""Suggestions on a real knowledge base (a university's IT help pages, in
../shared/data/kb): paraphrased questions should find the page that answers
them. A measured rate, not perfection: the assertion is a floor."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest
from django.utils.text import slugify

from deskwise.core import clock
from deskwise.kb.models import Article, Visibility
from deskwise.search.selectors import suggest_articles
from deskwise.testing import shared_data

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]

_UNDERLINE = re.compile(r"^([=\-~*#^\"])\1{2,}\s*$")

QUESTIONS = [
    ("How do I get a Triton account for my research group?", "triton/accounts.rst"),
    ("How can I connect to my work computer from home?", "aalto/remoteaccess.rst"),
    ("My calculation needs a graphics card: how do I use GPUs?", "triton/tut/gpu.rst"),
    ("How much disk space am I allowed on the cluster (quota)?", "triton/usage/quotas.rst"),
    ("What is the policy for releasing my code as open source?", "aalto/opensource-policy.rst"),
    ("Can I run Matlab in parallel with parpool?", "triton/examples/matlab/parpool_parallel.rst"),
    ("How do I write documents together in LaTeX online?", "aalto/overleaf.rst"),
    ("Where do I store container images?", "aalto/aaltoharbor.rst"),
]


def _title(text: str, path: Path) -> str:
    lines = text.splitlines()
    for above, line in pairwise(lines):
        if above.strip() and _UNDERLINE.match(line) and not _UNDERLINE.match(above):
            return above.strip()[:200]
    return path.stem.replace("-", " ").replace("_", " ").title()


@pytest.fixture
def pages(db: None) -> dict[str, int]:
    root = shared_data() / "kb" / "aalto-scicomp-docs"
    now = clock.now()
    ids = {}
    for path in sorted(root.rglob("*.rst")):
        name = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8", errors="replace")
        article = Article.objects.create(
            title=_title(text, path),
            slug=slugify(name.removesuffix(".rst").replace("/", "-"))[:200],
            body=text,
            visibility=Visibility.PUBLIC,
            created_at=now,
            updated_at=now,
        )
        ids[name] = article.pk
    return ids


def test_paraphrased_questions_find_their_page(desk, pages):
    first = top3 = 0
    for question, page in QUESTIONS:
        found = [a.id for a in suggest_articles(question, user=desk.requester, limit=3)]
        first += bool(found) and found[0] == pages[page]
        top3 += pages[page] in found
        print(f"{page:50} rank {found.index(pages[page]) + 1 if pages[page] in found else '-'}")
    print(f"first {first}/{len(QUESTIONS)}, top 3 {top3}/{len(QUESTIONS)} of {len(pages)} pages")
    assert top3 >= len(QUESTIONS) - 2
