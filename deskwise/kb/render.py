"""Article bodies: Markdown in, sanitised HTML out, and a plain-text summary.

Markdown is rendered without raw HTML, and the result goes through nh3 all the
same: the renderer is not a security boundary, the sanitiser is. Bodies are
rendered once, when they are saved, so a page view costs nothing here.
"""

from __future__ import annotations

import re

import nh3
from django.utils.text import slugify
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin

SUMMARY_MAX = 300

# Heading ids get this prefix from the sanitiser, so an article's headings can
# never collide with (or clobber) the ids of the page around them.
ANCHOR_PREFIX = "kb-"

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre",
    "s", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "u", "ul",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "code": {"class"},
    "ol": {"start"},
    "th": {"style"},
    "td": {"style"},
    **{f"h{level}": {"id"} for level in range(1, 7)},
}
_LANGUAGE_CLASS = re.compile(r"language-[A-Za-z0-9_+#.-]{1,40}")


def heading_slug(text: str) -> str:
    """The id (before the sanitiser's prefix) a heading with this text gets."""
    return slugify(text) or "section"


def _attribute(tag: str, name: str, value: str) -> str | None:
    if name == "class":
        return value if _LANGUAGE_CLASS.fullmatch(value) else None
    return value


_cleaner = nh3.Cleaner(
    tags=TAGS,
    attributes=ATTRIBUTES,
    attribute_filter=_attribute,
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer",
    filter_style_properties={"text-align"},
    id_prefix=ANCHOR_PREFIX,
    strip_comments=True,
)


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    anchors_plugin(md, min_level=1, max_level=4, slug_func=heading_slug)
    return md


_md = _markdown()


def sanitise(html: str) -> str:
    return _cleaner.clean(html)


def render_markdown(body: str) -> str:
    """An article body as HTML that is safe to put in any page."""
    return sanitise(_md.render(body or ""))


def _plain(tokens: list[Token]) -> str:
    parts: list[str] = []
    for token in tokens:
        if token.type in {"text", "code_inline"}:
            parts.append(token.content)
        elif token.type in {"softbreak", "hardbreak"}:
            parts.append(" ")
        elif token.children:
            parts.append(_plain(token.children))
    return "".join(parts)


def _first_paragraph(tokens: list[Token], *, top_level: bool) -> str:
    for index, token in enumerate(tokens):
        if token.type != "paragraph_open" or index + 1 >= len(tokens):
            continue
        if top_level and token.level != 0:
            continue
        text = " ".join(_plain(tokens[index + 1].children or []).split())
        if text:
            return text
    return ""


def summary_of(body: str, *, limit: int = SUMMARY_MAX) -> str:
    """The first paragraph as plain text, cut at a word within ``limit``: what a
    list of articles shows under each title. A paragraph of the page itself is
    preferred to one inside a note or a list (often a box's title)."""
    tokens = _md.parse(body or "")
    text = _first_paragraph(tokens, top_level=True) or _first_paragraph(tokens, top_level=False)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-") + "…"
