"""reStructuredText (as Sphinx writes it) to Markdown, by walking docutils' doctree.

Help pages are usually Sphinx projects, full of roles and directives docutils
has never heard of. Parsing must never abort on them: Sphinx's common
directives get lenient stand-ins (any option accepted), unknown roles keep
their text, unknown directives keep their content, and nothing that docutils
reports stops the page. Links to other pages (``:doc:``, ``:ref:``, relative
``.rst`` links) and images are not resolved here but handed to a ``Resolver``,
because only the importer knows every page of the folder.

Parsing is split from conversion so the importer can read every page first
(titles, labels) and write Markdown second, with all links known.
"""

from __future__ import annotations

import io
import posixpath
import re
import textwrap
import types
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Protocol

from docutils import nodes, utils
from docutils.core import publish_doctree
from docutils.parsers.rst import Directive, Parser, directives, roles
from docutils.parsers.rst.states import Inliner

from deskwise.kb.render import ANCHOR_PREFIX, heading_slug

MAX_INCLUDE_DEPTH = 8
MAX_INCLUDE_BYTES = 512 * 1024
PAGE_SUFFIXES = (".rst", ".md", ".rest", ".txt", ".html")


class doc_link(nodes.Inline, nodes.TextElement):
    """A link to another page by its name (``:doc:``), resolved after parsing."""


class ref_link(nodes.Inline, nodes.TextElement):
    """A link to a label anywhere in the folder (``:ref:``), resolved after parsing."""


@dataclass
class Parsed:
    """One page read: its doctree and what other pages need to link to it."""

    path: str  # relative to the folder's root, POSIX separators
    document: nodes.document
    title: str
    labels: dict[str, tuple[str, str]]  # label -> (anchor or "", link text)
    warnings: list[str] = field(default_factory=list)


class Resolver(Protocol):
    """What conversion asks the importer: where another page or a file lives."""

    def page_url(self, target: str, *, current: str) -> tuple[str, str] | None:
        """``target`` (a docname or relative path) seen from ``current`` -> (url, title)."""
        ...

    def label_url(self, label: str) -> tuple[str, str] | None:
        """A ``:ref:`` label -> (url with anchor, link text)."""
        ...

    def file_url(self, target: str, *, current: str) -> str | None:
        """An image or download path -> the URL it will be served at."""
        ...


# --- parsing -------------------------------------------------------------------------


def _split_title(text: str) -> tuple[str | None, str]:
    """``Title <target>`` -> ("Title", "target"); ``target`` -> (None, "target")."""
    match = re.fullmatch(r"(?s)(.*?)\s*<([^<>]+)>", text.strip())
    if match and match.group(1):
        return " ".join(match.group(1).split()), match.group(2).strip()
    return None, text.strip()


def _link_role(node_class: type[nodes.TextElement]) -> Callable[..., list[nodes.Node]]:
    def role(name: str, rawtext: str, text: str, lineno: int, inliner: Inliner) -> list[Any]:
        title, target = _split_title(utils.unescape(text))
        if target.startswith("~") or target.startswith("!"):
            target = target[1:]
        return [node_class(rawtext, title or target, target=target, explicit=title is not None)]

    return role


def _code_role(name: str, rawtext: str, text: str, lineno: int, inliner: Inliner) -> list[Any]:
    value = utils.unescape(text)
    title, target = _split_title(value)
    return [nodes.literal(rawtext, (title or target).lstrip("~!"))]


def _text_role(name: str, rawtext: str, text: str, lineno: int, inliner: Inliner) -> list[Any]:
    title, target = _split_title(utils.unescape(text))
    return [nodes.inline(rawtext, title or target)]


def _strong_role(name: str, rawtext: str, text: str, lineno: int, inliner: Inliner) -> list[Any]:
    # Sphinx marks a menu's accelerator key with "&" and writes a real one as "&&".
    label = re.sub(r"&(&?)", r"\1", utils.unescape(text).replace("-->", "→"))
    return [nodes.strong(rawtext, label)]


def _abbr_role(name: str, rawtext: str, text: str, lineno: int, inliner: Inliner) -> list[Any]:
    value = utils.unescape(text)
    match = re.fullmatch(r"(?s)(.*?)\s*\((.*)\)", value)
    return [nodes.abbreviation(rawtext, match.group(1) if match else value)]


def _index_role(name: str, rawtext: str, text: str, lineno: int, inliner: Inliner) -> list[Any]:
    title, target = _split_title(utils.unescape(text))
    return [nodes.inline(rawtext, title or target.lstrip("!"))]


SPHINX_ROLES: dict[str, Callable[..., list[Any]]] = {
    "doc": _link_role(doc_link),
    "ref": _link_role(ref_link),
    "numref": _link_role(ref_link),
    "any": _link_role(ref_link),
    "download": _link_role(doc_link),
    "term": _text_role,
    "index": _index_role,
    "abbr": _abbr_role,
    "guilabel": _strong_role,
    "menuselection": _strong_role,
    "kbd": _code_role,
    "command": _code_role,
    "program": _code_role,
    "file": _code_role,
    "samp": _code_role,
    "envvar": _code_role,
    "option": _code_role,
    "makevar": _code_role,
    "mimetype": _code_role,
    "regexp": _code_role,
    "dfn": _text_role,
    "sup": _text_role,
    "sub": _text_role,
    "math": _code_role,
    "eq": _text_role,
    "pep": _text_role,
    "rfc": _text_role,
}
# Python, C and other domains' roles (``:py:func:``, ``:func:``, ...) read as code.
CODE_ROLE_NAMES = {
    "func", "meth", "class", "mod", "attr", "data", "exc", "obj", "const", "type",
    "member", "macro", "var", "enum", "struct", "expr", "token", "keyword",
}  # fmt: skip


def _interpreted(
    self: Inliner, rawsource: str, text: str, role: str, lineno: int
) -> tuple[list[Any], list[Any]]:
    """Sphinx's roles by hand, docutils' own as usual, and any other role keeps its text."""
    name = role.lower()
    handler = SPHINX_ROLES.get(name)
    if handler is None and (":" in name or name in CODE_ROLE_NAMES):
        handler = SPHINX_ROLES.get(name.rsplit(":", 1)[-1], _code_role)
    if handler is not None:
        return handler(role, rawsource, text, lineno, self), []
    role_fn, messages = roles.role(role, self.language, lineno, self.reporter)
    if role_fn:
        made, more = role_fn(role, rawsource, text, lineno, self)
        return made, messages + more
    return [nodes.inline(rawsource, utils.unescape(text))], []


def lenient_inliner() -> Inliner:
    """docutils' inliner with a lenient role lookup. Bound on the instance, not by
    subclassing: the inliner builds its patterns from ``vars()`` of its exact class."""
    inliner = Inliner()
    inliner.interpreted = types.MethodType(_interpreted, inliner)
    return inliner


class AnyOptions(dict[str, Callable[[str | None], str]]):
    """An option spec that accepts every option (Sphinx's and its extensions')."""

    def __missing__(self, key: str) -> Callable[[str | None], str]:
        return directives.unchanged

    def __bool__(self) -> bool:
        return True  # docutils reads options only when the spec is truthy


class _Lenient(Directive):
    option_spec: ClassVar[dict[str, Any]] = AnyOptions()
    has_content = True
    final_argument_whitespace = True

    def _warn(self, message: str) -> None:
        document = self.state.document
        document.setdefault("kb_warnings", []).append(f"line {self.lineno}: {message}")

    def _body(self, container: nodes.Element) -> nodes.Element:
        if self.content:
            self.state.nested_parse(self.content, self.content_offset, container)
        return container


class CodeBlock(_Lenient):
    """``code-block``/``code``/``sourcecode``: content kept byte for byte."""

    optional_arguments = 1

    def run(self) -> list[nodes.Node]:
        text = "\n".join(self.content)
        language = self.arguments[0].split()[0] if self.arguments else ""
        block = nodes.literal_block(text, text, language=language)
        caption = self.options.get("caption")
        if caption:
            return [nodes.paragraph("", "", nodes.emphasis(caption, caption)), block]
        return [block]


class Admonition(_Lenient):
    """Every admonition: a titled box (Markdown: a block quote with a bold title).
    ``note``, ``warning``...: text on the directive's line is content, as in docutils."""

    optional_arguments = 0
    labels: ClassVar[dict[str, str]] = {
        "note": "Note", "warning": "Warning", "tip": "Tip", "hint": "Hint",
        "important": "Important", "caution": "Caution", "danger": "Danger", "error": "Error",
        "attention": "Attention", "seealso": "See also", "todo": "To do",
        "versionadded": "New in version", "versionchanged": "Changed in version",
        "deprecated": "Deprecated since version", "exercise": "Exercise",
        "solution": "Solution", "admonition": "", "collapse": "", "tab": "", "group-tab": "",
        "sidebar": "", "topic": "", "details": "", "dropdown": "",
    }  # fmt: skip

    def run(self) -> list[nodes.Node]:
        kind = self.name.lower()
        label = self.labels.get(kind, kind.replace("-", " ").capitalize())
        argument = " ".join(self.arguments).strip()
        if kind in {"versionadded", "versionchanged", "deprecated"} and argument:
            title = f"{label} {argument}"
        elif label and argument and kind in {"exercise", "solution"}:
            title = f"{label}: {argument}"
        else:
            title = argument or label
        box = nodes.admonition("", classes=[kind])
        if title:
            box += nodes.title(title, "", *self.state.inline_text(title, self.lineno)[0])
        return [self._body(box)]


class TitledAdmonition(Admonition):
    """Admonitions whose first line is a title or a version, not text (``admonition``,
    ``collapse``, ``versionadded``)."""

    optional_arguments = 1


class Container(_Lenient):
    """Directives that only group content (``tabs``, ``only``, ``hlist``...)."""

    optional_arguments = 1

    def run(self) -> list[nodes.Node]:
        return list(self._body(nodes.container()).children)


class Drop(_Lenient):
    """Directives with nothing to show in an article (``index``, ``highlight``, ``raw``)."""

    optional_arguments = 10

    def run(self) -> list[nodes.Node]:
        if self.name == "raw":
            self._warn("raw HTML left out")
        return []


class TocTree(_Lenient):
    """A toctree becomes a list of links to the pages it names."""

    optional_arguments = 0

    def run(self) -> list[nodes.Node]:
        items = nodes.bullet_list()
        for line in self.content:
            entry = line.strip()
            if not entry or entry.startswith(":") or "*" in entry or entry == "self":
                continue
            title, target = _split_title(entry)
            if re.match(r"https?://", target):
                link: nodes.Node = nodes.reference(entry, title or target, refuri=target)
            else:
                link = doc_link(entry, title or target, target=target, explicit=title is not None)
            items += nodes.list_item("", nodes.paragraph("", "", link))
        return [items] if items.children else []


def _root(directive: Directive) -> Path | None:
    root = getattr(directive.state.document.settings, "kb_root", None)
    return Path(root) if root else None


def _resolve(directive: Directive, target: str) -> Path | None:
    """A file named by a directive, as Sphinx finds it: ``/x`` from the folder's root,
    ``x`` from the current file; never outside the folder."""
    root = _root(directive)
    if root is None:
        return None
    source = directive.state_machine.input_lines.source(
        directive.lineno - directive.state_machine.input_offset - 1
    )
    here = Path(source).parent if source else root
    path = (root / target.lstrip("/")) if target.startswith("/") else (here / target)
    try:
        path = path.resolve()
    except OSError:
        return None
    if not path.is_relative_to(root.resolve()) or not path.is_file():
        return None
    return path


def _read(path: Path) -> str | None:
    if path.stat().st_size > MAX_INCLUDE_BYTES:
        return None
    try:
        return path.read_text(encoding="utf-8-sig")
    except (UnicodeDecodeError, OSError):
        return None


def _slice(text: str, options: dict[str, Any]) -> str:
    after, before = options.get("start-after"), options.get("end-before")
    if after and after in text:
        text = text.split(after, 1)[1]
    if before and before in text:
        text = text.split(before, 1)[0]
    lines = text.splitlines()
    spec = str(options.get("lines") or "").strip()
    if spec:
        chosen: list[str] = []
        for part in spec.split(","):
            first, _, last = part.strip().partition("-")
            try:
                start = int(first) if first else 1
                end = int(last) if last else (start if not _ else len(lines))
            except ValueError:
                return text
            chosen.extend(lines[start - 1 : end])
        lines = chosen
    return textwrap.dedent("\n".join(lines)).strip("\n")


class Include(_Lenient):
    """``include``: the file's rST read in place, when it is in the folder."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        target = self.arguments[0].strip()
        path = _resolve(self, target.strip("<>"))
        text = _read(path) if path else None
        if path is None or text is None:
            self._warn(f"include {target!r} not found in the folder")
            return []
        if "literal" in self.options or "code" in self.options:
            text = _slice(text, self.options)
            return [nodes.literal_block(text, text, language=self.options.get("code") or "")]
        # docutils' own bookkeeping of what is being included: its parser pops an
        # entry when it meets the closing marker, so a file may be included twice
        # but never inside itself.
        log: list[tuple[str, tuple[None, ...]]] = self.state.document.include_log
        if not log:
            log.append((str(self.state.document.current_source), (None,)))
        source = str(path)
        if any(seen == source for seen, _ in log) or len(log) > MAX_INCLUDE_DEPTH:
            self._warn(f"include {target!r} skipped (it would include itself)")
            return []
        log.append((source, (None,)))
        lines = (_slice(text, self.options) if self.options else text).splitlines()
        self.state_machine.insert_input(
            [*lines, "", f'.. end of inclusion from "{source}"'], source
        )
        return []


class LiteralInclude(_Lenient):
    """``literalinclude``: the file as a code block, or a note that it is elsewhere."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        target = self.arguments[0].strip()
        path = _resolve(self, target)
        text = _read(path) if path else None
        if path is None or text is None:
            self._warn(f"literalinclude {target!r} not found in the folder")
            name = posixpath.basename(target)
            note = nodes.paragraph("", "", nodes.emphasis("", "The file "))
            note[0] += nodes.literal(name, name)
            note[0] += nodes.Text(" is not included here.")
            return [note]
        text = _slice(text, self.options)
        language = self.options.get("language") or _language_for(path.suffix)
        return [nodes.literal_block(text, text, language=language)]


def _language_for(suffix: str) -> str:
    return {
        ".py": "python", ".sh": "bash", ".yml": "yaml", ".yaml": "yaml", ".json": "json",
        ".r": "r", ".m": "matlab", ".c": "c", ".cpp": "cpp", ".jl": "julia", ".toml": "toml",
        ".slrm": "bash", ".sbatch": "bash", ".ini": "ini",
    }.get(suffix.lower(), "")  # fmt: skip


class Figure(_Lenient):
    """``figure``/``image`` with any option: the image, its caption and legend."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        uri = "".join(self.arguments[0].split())
        alt = self.options.get("alt") or ""
        image = nodes.image(self.block_text, uri=uri, alt=alt)
        target = self.options.get("target")
        inner: nodes.Node = (
            nodes.reference("", "", image, refuri=target) if target and "://" in target else image
        )
        if self.name == "image":
            return [inner]
        figure = nodes.figure("", inner)
        if self.content:
            self.state.nested_parse(self.content, self.content_offset, figure)
            first = figure.children[1] if len(figure.children) > 1 else None
            if isinstance(first, nodes.paragraph):
                figure.replace(first, nodes.caption("", "", *first.children))
        return [figure]


_DIRECTIVES: dict[str, type[Directive]] = {
    "code-block": CodeBlock, "code": CodeBlock, "sourcecode": CodeBlock, "code-cell": CodeBlock,
    "jupyter-execute": CodeBlock, "ipython": CodeBlock, "prompt": CodeBlock,
    "note": Admonition, "warning": Admonition, "tip": Admonition,
    "hint": Admonition, "important": Admonition, "caution": Admonition,
    "danger": Admonition, "error": Admonition, "attention": Admonition,
    "seealso": Admonition, "todo": Admonition,
    "admonition": TitledAdmonition, "collapse": TitledAdmonition, "exercise": TitledAdmonition,
    "solution": TitledAdmonition, "tab": TitledAdmonition, "group-tab": TitledAdmonition,
    "code-tab": TitledAdmonition, "sidebar": TitledAdmonition, "topic": TitledAdmonition,
    "dropdown": TitledAdmonition, "details": TitledAdmonition,
    "versionadded": TitledAdmonition, "versionchanged": TitledAdmonition,
    "deprecated": TitledAdmonition,
    "tabs": Container, "only": Container, "hlist": Container, "centered": Container,
    "glossary": Container, "tab-set": Container, "grid": Container, "grid-item": Container,
    "grid-item-card": TitledAdmonition, "card": TitledAdmonition, "tab-item": TitledAdmonition,
    "ifconfig": Container, "container": Container, "cssclass": Container, "rst-class": Container,
    "toctree": TocTree,
    "include": Include, "literalinclude": LiteralInclude,
    "figure": Figure, "image": Figure, "thumbnail": Figure,
    "index": Drop, "highlight": Drop, "raw": Drop, "exerciselist": Drop, "meta": Drop,
    "default-role": Drop, "currentmodule": Drop, "module": Drop, "sectionauthor": Drop,
    "codeauthor": Drop, "tags": Drop, "spelling:word-list": Drop, "youtube": Drop,
    "automodule": Drop, "autoclass": Drop, "autofunction": Drop, "program-output": Drop,
    "command-output": Drop, "graphviz": Drop, "mermaid": Drop, "plot": Drop, "bibliography": Drop,
}  # fmt: skip

_registered = False


def register() -> None:
    """Put the lenient directives in docutils' registry (the only registry it has).

    They replace docutils' own ``code``, ``include``, ``raw``, ``image`` and the
    admonitions in this process: the stand-ins accept everything the originals
    do, never read outside the imported folder, and never insert raw HTML.
    """
    global _registered
    if _registered:
        return
    for name, directive in _DIRECTIVES.items():
        directives.register_directive(name, directive)
    _registered = True


SETTINGS: dict[str, Any] = {
    "report_level": 5,  # nothing is reported...
    "halt_level": 5,  # ...and nothing stops the parse
    "file_insertion_enabled": False,  # docutils' own file reading (csv-table :file:) is off
    "raw_enabled": False,
    "doctitle_xform": False,  # the title is taken below, the same way for every page
    "docinfo_xform": False,
    "sectsubtitle_xform": False,
    "syntax_highlight": "none",
    "smart_quotes": False,
    "pep_references": False,
    "rfc_references": False,
    "character_level_inline_markup": False,
    "language_code": "en",
    "input_encoding": "unicode",
    "_disable_config": True,  # never read docutils.conf files from the machine
}


def parse(text: str, *, path: str, root: Path | None = None) -> Parsed:
    """Parse one page. ``path`` is relative to ``root``, the folder being imported."""
    register()
    source = str((root / path) if root else path)
    settings = {**SETTINGS, "warning_stream": io.StringIO()}
    if root is not None:
        settings["kb_root"] = str(root)
    document = publish_doctree(
        text,
        source_path=source,
        parser=Parser(inliner=lenient_inliner()),
        settings_overrides=settings,
    )
    title = _document_title(document)
    return Parsed(
        path=path,
        document=document,
        title=title,
        labels=_labels(document, title),
        warnings=list(document.get("kb_warnings", [])),
    )


def _unknown_directive(node: nodes.Node) -> bool:
    return (
        isinstance(node, nodes.system_message)
        and bool(node.children)
        and node[0].astext().startswith("Unknown directive type")
    )


def _content(children: Iterable[nodes.Node]) -> list[nodes.Node]:
    """What a page shows: no comments, targets, definitions or parser messages
    (except an unknown directive's, which holds content to keep)."""
    skip = (
        nodes.comment, nodes.target, nodes.substitution_definition, nodes.system_message,
        nodes.pending, nodes.decoration, nodes.raw, nodes.meta,
    )  # fmt: skip
    return [child for child in children if not isinstance(child, skip) or _unknown_directive(child)]


def _page_content(document: nodes.document) -> list[nodes.Node]:
    """The document's top-level content, without Sphinx's file-wide metadata
    (a field list before anything else, like ``:orphan:``)."""
    children = _content(document.children)
    if children and isinstance(children[0], nodes.field_list):
        children = children[1:]
    return children


def _first_section(document: nodes.document) -> nodes.section | None:
    for child in _page_content(document):
        if isinstance(child, nodes.section):
            return child
        if isinstance(child, nodes.Element) and child.astext().strip():
            return None
    return None


def _document_title(document: nodes.document) -> str:
    section = _first_section(document)
    if section is None or not section.children or not isinstance(section[0], nodes.title):
        return ""
    return " ".join(section[0].astext().split())


def _labels(document: nodes.document, title: str) -> dict[str, tuple[str, str]]:
    first = _first_section(document)
    found: dict[str, tuple[str, str]] = {}
    for name, node_id in document.nameids.items():
        if not node_id or not document.nametypes.get(name):
            continue  # only explicit labels: every section title is an implicit one
        node = document.ids.get(node_id)
        if isinstance(node, nodes.target) and node.get("refid"):
            node = document.ids.get(node["refid"])
        if isinstance(node, nodes.target) and node.get("refuri"):
            continue
        if node is None:
            continue
        if isinstance(node, nodes.section) and node.children:
            heading = " ".join(node[0].astext().split())
            anchor = "" if node is first else heading_slug(heading)
            found[name] = (anchor, heading)
        elif isinstance(node, (nodes.target, nodes.Element)):
            found[name] = ("", title or name)
    return found


# --- conversion ----------------------------------------------------------------------

_SCHEMES = re.compile(r"^(https?|mailto|ftp):", re.IGNORECASE)
_BLOCK_START = re.compile(
    r"^(#{1,6}(?=\s|$)|[>+=|]|[-*](?=\s|$)|[-*_]{3,}|\d{1,9}(?=[.)])|~~~|```)"
)
_ESCAPE = re.compile(r"([\\`*\[\]<>])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_UNDERSCORE = re.compile(r"(?<!\w)_|_(?!\w)")


def escape(text: str) -> str:
    """Text that Markdown shows as it is (kept readable: only what would misparse)."""
    text = _ESCAPE.sub(r"\\\1", text)
    text = _UNDERSCORE.sub(r"\\_", text)
    return _ENTITY.sub("&amp;", text)


def _code_span(text: str) -> str:
    text = " ".join(text.split("\n"))
    if not text.strip():
        return ""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or longest else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _url(url: str) -> str:
    if re.search(r"[\s()<>]", url):
        return "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    return url


def _fence(text: str, language: str = "") -> list[str]:
    longest = max((len(m) for m in re.findall(r"^\s*(`{3,})", text, re.MULTILINE)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}{language}", *text.rstrip("\n").split("\n"), fence]


def _indent(lines: Sequence[str], first: str, rest: str) -> list[str]:
    out: list[str] = []
    for index, line in enumerate(lines):
        prefix = first if index == 0 else rest
        out.append((prefix + line) if line else prefix.rstrip())
    return out


class Converter:
    """One page's doctree as Markdown lines."""

    def __init__(self, parsed: Parsed, resolver: Resolver) -> None:
        self.parsed = parsed
        self.resolver = resolver
        self.warnings = parsed.warnings
        self.section_ids = {
            node_id: node
            for node in parsed.document.findall(nodes.section)
            for node_id in node["ids"]
        }

    # blocks ---------------------------------------------------------------------------

    def markdown(self) -> str:
        document = self.parsed.document
        children = _page_content(document)
        first = _first_section(document)
        blocks: list[list[str]] = []
        for child in children:
            if first is not None and child is first:
                blocks.extend(self.blocks(_content(child.children[1:]), depth=0))
            else:
                blocks.extend(self.block(child, depth=0))
        text = "\n\n".join("\n".join(block) for block in blocks if block)
        return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"

    def blocks(self, children: Iterable[nodes.Node], depth: int) -> list[list[str]]:
        out: list[list[str]] = []
        previous: nodes.Node | None = None
        inline: list[nodes.Node] = []
        for child in _content(children):
            if isinstance(child, (nodes.Text, nodes.Inline)) and not isinstance(child, nodes.image):
                inline.append(child)
                continue
            if inline:
                out.append(self.paragraph(inline))
                inline = []
            made = self.block(child, depth)
            if not made:
                continue
            if (
                isinstance(previous, nodes.bullet_list)
                and isinstance(child, nodes.bullet_list)
                and made
            ):
                made = [[line.replace("- ", "* ", 1) if i == 0 else line for i, line in
                         enumerate(made[0])], *made[1:]]  # fmt: skip
            out.extend(made)
            previous = child
        if inline:
            out.append(self.paragraph(inline))
        return out

    def block(self, node: nodes.Node, depth: int) -> list[list[str]]:
        if isinstance(node, nodes.section):
            title = node[0] if node.children and isinstance(node[0], nodes.title) else None
            heading = self.inline_text(title.children if title else []).strip()
            out: list[list[str]] = []
            if heading:
                out.append([f"{'#' * min(depth + 2, 6)} {heading}"])
            rest = node.children[1:] if title else node.children
            return out + self.blocks(rest, depth + 1)
        if isinstance(node, nodes.paragraph):
            return [self.paragraph(node.children)] if node.astext().strip() else []
        if isinstance(node, (nodes.literal_block, nodes.doctest_block)):
            language = node.get("language") or ""
            if not language:
                classes = [c for c in node.get("classes", []) if c not in {"code", "literal-block"}]
                language = classes[0] if classes else ""
            if isinstance(node, nodes.doctest_block):
                language = "pycon"
            if language in {"none", "text", "default"}:
                language = ""
            return [_fence(node.astext(), re.sub(r"[^\w+#.-]", "", language))]
        if isinstance(node, nodes.math_block):
            return [_fence(node.astext(), "math")]
        if isinstance(node, nodes.bullet_list):
            return self.list_block(node, depth, ordered=False)
        if isinstance(node, nodes.enumerated_list):
            return self.list_block(node, depth, ordered=True)
        if isinstance(node, (nodes.definition_list, nodes.field_list, nodes.option_list)):
            return self.term_list(node, depth)
        if isinstance(node, nodes.docinfo):
            return self.term_list(node, depth)
        if isinstance(node, nodes.block_quote):
            inner = self.blocks(node.children, depth)
            return [self.quote(inner)] if inner else []
        if isinstance(node, nodes.attribution):
            return [["— " + self.inline_text(node.children)]]
        if isinstance(node, (nodes.Admonition, nodes.topic, nodes.sidebar)):
            return self.admonition(node, depth)
        if isinstance(node, nodes.rubric):
            return [[f"**{self.inline_text(node.children).strip()}**"]]
        if isinstance(node, nodes.line_block):
            return [self.line_block(node)]
        if isinstance(node, nodes.transition):
            return [["***"]]
        if isinstance(node, nodes.table):
            return self.table(node)
        if isinstance(node, nodes.figure):
            return self.figure(node, depth)
        if isinstance(node, nodes.image):
            image = self.image(node)
            return [[image]] if image else []
        if isinstance(node, nodes.reference) and any(
            isinstance(child, nodes.image) for child in node.children
        ):
            return [[self.inline_text([node])]]
        if isinstance(node, (nodes.footnote, nodes.citation)):
            label = node[0].astext() if node.children else ""
            inner = self.blocks(node.children[1:], depth)
            if inner and inner[0]:
                inner[0][0] = f"\\[{escape(label)}\\] {inner[0][0]}"
            return inner
        if isinstance(node, nodes.system_message):
            return self.unknown_directive(node, depth)
        if isinstance(node, (nodes.title, nodes.subtitle, nodes.caption)):
            text = self.inline_text(node.children).strip()
            return [[f"**{text}**"]] if text else []
        if isinstance(node, (nodes.legend, nodes.compound, nodes.container, nodes.Element)):
            return self.blocks(node.children, depth)
        return []

    def paragraph(self, children: Sequence[nodes.Node]) -> list[str]:
        text = self.inline_text(children).strip()
        if not text:
            return []
        if _BLOCK_START.match(text):
            text = "\\" + text
        return [text]

    def list_block(self, node: nodes.Element, depth: int, *, ordered: bool) -> list[list[str]]:
        start = int(node.get("start", 1) or 1)
        items = [child for child in node.children if isinstance(child, nodes.list_item)]
        rendered = [self.blocks(item.children, depth) for item in items]
        # Compact, as docutils renders it: one paragraph per item, maybe a sub-list.
        tight = all(
            sum(isinstance(child, nodes.paragraph) for child in item.children) <= 1
            and all(
                isinstance(child, (nodes.paragraph, nodes.bullet_list, nodes.enumerated_list))
                for child in _content(item.children)
            )
            for item in items
        )
        lines: list[str] = []
        for index, blocks in enumerate(rendered):
            marker = f"{start + index}. " if ordered else "- "
            body: list[str] = []
            for block_index, block in enumerate(blocks):
                if block_index and not tight:
                    body.append("")
                body.extend(block)
            if not tight and index:
                lines.append("")
            lines.extend(_indent(body or [""], marker, " " * len(marker)))
        return [lines]

    def term_list(self, node: nodes.Element, depth: int) -> list[list[str]]:
        """Definition, field and option lists: Markdown has none, so a list of
        bold terms, each with its definition beneath."""
        lines: list[str] = []
        for index, item in enumerate(node.children):
            if not isinstance(item, nodes.Element):
                continue
            term_parts: list[str] = []
            body: list[nodes.Node] = []
            for part in item.children:
                if isinstance(part, (nodes.term, nodes.field_name)):
                    term_parts.append(self.inline_text(part.children).strip())
                elif isinstance(part, nodes.classifier):
                    term_parts.append(f"*({self.inline_text(part.children).strip()})*")
                elif isinstance(part, nodes.option_group):
                    term_parts.append(_code_span(part.astext()))
                elif isinstance(part, (nodes.definition, nodes.field_body, nodes.description)):
                    body.extend(part.children)
                elif isinstance(part, nodes.Text) or not isinstance(part, nodes.Element):
                    continue
                else:
                    term_parts.append(self.inline_text([part]).strip())
            term = " ".join(p for p in term_parts if p)
            if isinstance(node, (nodes.field_list, nodes.docinfo)):
                term += ":"
            blocks = self.blocks(body, depth)
            item_lines = [f"**{term}**" if term else ""]
            for block in blocks:
                item_lines.append("")
                item_lines.extend(block)
            if index:
                lines.append("")
            lines.extend(_indent(item_lines, "- ", "  "))
        return [lines] if lines else []

    def quote(self, blocks: list[list[str]]) -> list[str]:
        lines: list[str] = []
        for index, block in enumerate(blocks):
            if index:
                lines.append(">")
            lines.extend(f"> {line}" if line else ">" for line in block)
        return lines

    def admonition(self, node: nodes.Element, depth: int) -> list[list[str]]:
        title = ""
        children = list(node.children)
        if children and isinstance(children[0], nodes.title):
            title = self.inline_text(children[0].children).strip()
            children = children[1:]
        elif isinstance(node, nodes.Admonition) and not isinstance(node, nodes.admonition):
            title = node.__class__.__name__.capitalize()
        if "contents" in node.get("classes", []):
            return []
        inner = self.blocks(children, depth)
        if title:
            inner.insert(0, [f"**{title}**"])
        return [self.quote(inner)] if inner else []

    def line_block(self, node: nodes.Element, level: int = 0) -> list[str]:
        lines: list[str] = []
        for child in node.children:
            if isinstance(child, nodes.line_block):
                lines.extend(self.line_block(child, level + 1))
            elif isinstance(child, nodes.line):
                text = self.inline_text(child.children).strip()
                lines.append(("\u00a0" * 2 * level) + text if text else "")
        while lines and not lines[-1]:
            lines.pop()
        out = [line + "\\" if index < len(lines) - 1 and line else line
               for index, line in enumerate(lines)]  # fmt: skip
        return [line for line in out if line] if out else []

    def table(self, node: nodes.table) -> list[list[str]]:
        caption = ""
        if node.children and isinstance(node[0], nodes.title):
            caption = self.inline_text(node[0].children).strip()
        groups = list(node.findall(nodes.tgroup))
        if not groups:
            return []
        group = groups[0]
        width = int(group.get("cols", 0)) or max(
            (len(row.children) for row in group.findall(nodes.row)), default=0
        )
        if not width:
            return []
        head = [self.row(r, width) for c in group.children if isinstance(c, nodes.thead)
                for r in c.children if isinstance(r, nodes.row)]  # fmt: skip
        body = [self.row(r, width) for c in group.children if isinstance(c, nodes.tbody)
                for r in c.children if isinstance(r, nodes.row)]  # fmt: skip
        header = head[0] if head else [""] * width
        rows = head[1:] + body
        lines = [
            "| " + " | ".join(header) + " |",
            "|" + "|".join(["---"] * width) + "|",
            *("| " + " | ".join(row) + " |" for row in rows),
        ]
        out = [[f"**{caption}**"]] if caption else []
        return [*out, lines]

    def row(self, row: nodes.Element, width: int) -> list[str]:
        cells: list[str] = []
        for entry in row.children:
            if not isinstance(entry, nodes.entry):
                continue
            blocks = self.blocks(entry.children, 0)
            text = " ".join(" ".join(line.strip() for line in b if line.strip()) for b in blocks)
            cells.append(text.replace("|", "\\|").replace("\\\\|", "\\|"))
            cells.extend([""] * int(entry.get("morecols", 0)))
        return (cells + [""] * width)[:width]

    def figure(self, node: nodes.Element, depth: int) -> list[list[str]]:
        out: list[list[str]] = []
        for child in node.children:
            if isinstance(child, nodes.image) or (
                isinstance(child, nodes.reference)
                and any(isinstance(c, nodes.image) for c in child.children)
            ):
                image = self.inline_text([child])
                if image:
                    out.append([image])
            elif isinstance(child, nodes.caption):
                text = self.inline_text(child.children).strip()
                if text:
                    out.append([f"*{text}*"])
            else:
                out.extend(self.block(child, depth))
        return out

    def unknown_directive(self, node: nodes.system_message, depth: int) -> list[list[str]]:
        """An unknown directive keeps its content: re-read as rST without the
        directive's own line and options."""
        if not _unknown_directive(node):
            return []
        blocks = [child for child in node.children if isinstance(child, nodes.literal_block)]
        if not blocks:
            return []
        lines = blocks[0].astext().split("\n")
        head = re.match(r"\s*\.\.\s+([\w:.+-]+)::\s*(.*)", lines[0] if lines else "")
        self.warnings.append(f"unknown directive {head.group(1) if head else '?'!r} kept as text")
        body = textwrap.dedent("\n".join(lines[1:]))
        body_lines = body.split("\n")
        while body_lines and re.match(r"^:[\w-]+:", body_lines[0]):
            body_lines.pop(0)
        inner_text = "\n".join(body_lines).strip("\n")
        argument = head.group(2).strip() if head else ""
        out: list[list[str]] = [[f"**{escape(argument)}**"]] if argument else []
        if inner_text:
            inner = parse(inner_text, path=self.parsed.path)
            out.extend(Converter(inner, self.resolver).blocks(inner.document.children, depth))
        return [self.quote(out)] if out else []

    # inline ---------------------------------------------------------------------------

    def inline_text(self, children: Iterable[nodes.Node]) -> str:
        return "".join(self.inline(child) for child in children)

    def inline(self, node: nodes.Node) -> str:
        if isinstance(node, nodes.Text):
            return escape(node.astext().replace("\n", " "))
        if isinstance(node, (nodes.emphasis, nodes.title_reference)):
            return self.wrap(node, "*")
        if isinstance(node, nodes.strong):
            return self.wrap(node, "**")
        if isinstance(node, (nodes.literal, nodes.math)):
            return _code_span(node.astext())
        if isinstance(node, nodes.inline) and {"strike", "strikeout", "del", "s"} & set(
            node.get("classes", [])
        ):
            return self.wrap(node, "~~")
        if isinstance(node, doc_link):
            return self.doc_link(node)
        if isinstance(node, ref_link):
            return self.ref_link(node)
        if isinstance(node, nodes.reference):
            return self.reference(node)
        if isinstance(node, nodes.image):
            return self.image(node)
        if isinstance(node, (nodes.footnote_reference, nodes.citation_reference)):
            return f"\\[{escape(node.astext())}\\]"
        if isinstance(node, nodes.problematic):
            raw = node.astext()
            raw = re.sub(r"^:[\w:.+-]+:", "", raw)
            return escape(raw.strip("`|_").strip())
        if isinstance(node, (nodes.target, nodes.substitution_reference)):
            return self.inline_text(node.children)
        if isinstance(node, (nodes.system_message, nodes.comment, nodes.raw, nodes.pending)):
            return ""
        if isinstance(node, nodes.Element):
            return self.inline_text(node.children)
        return ""

    def wrap(self, node: nodes.Element, mark: str) -> str:
        inner = self.inline_text(node.children)
        stripped = inner.strip()
        if not stripped:
            return inner
        lead = inner[: len(inner) - len(inner.lstrip())]
        trail = inner[len(inner.rstrip()) :]
        return f"{lead}{mark}{stripped}{mark}{trail}"

    def link(self, text: str, url: str) -> str:
        text = text.strip() or escape(url)
        return f"[{text}]({_url(url)})"

    def doc_link(self, node: nodes.Element) -> str:
        target = node["target"]
        found = self.resolver.page_url(target, current=self.parsed.path)
        explicit = node.get("explicit")
        if found is None:
            url = self.resolver.file_url(target, current=self.parsed.path)
            text = self.inline_text(node.children) if explicit else escape(target)
            return self.link(text, url) if url else text
        url, title = found
        text = self.inline_text(node.children) if explicit else escape(title or target)
        return self.link(text, url)

    def ref_link(self, node: nodes.Element) -> str:
        label = nodes.fully_normalize_name(node["target"])
        found = self.resolver.label_url(label)
        explicit = node.get("explicit")
        if found is None:
            return self.inline_text(node.children) if explicit else escape(node["target"])
        url, title = found
        text = self.inline_text(node.children) if explicit else escape(title)
        return self.link(text, url)

    def reference(self, node: nodes.Element) -> str:
        text = self.inline_text(node.children)
        uri = node.get("refuri")
        if uri:
            uri = uri.strip()
            if _SCHEMES.match(uri):
                if node.astext() == uri and not re.search(r"[\s<>]", uri):
                    return f"<{uri}>"
                return self.link(text, uri)
            if re.match(r"^[a-z][a-z0-9+.-]*:", uri, re.IGNORECASE):
                return text  # javascript:, data: and other schemes lose their link
            path, _, anchor = uri.partition("#")
            if not path and anchor:
                return self.link(text, f"#{anchor}")
            found = self.resolver.page_url(path, current=self.parsed.path)
            if found:
                return self.link(text, found[0])
            url = self.resolver.file_url(path, current=self.parsed.path)
            return self.link(text, url) if url else text
        refid = node.get("refid")
        if refid and refid in self.section_ids:
            section = self.section_ids[refid]
            heading = " ".join(section[0].astext().split()) if section.children else ""
            if heading and heading != self.parsed.title:
                return self.link(text, "#" + _anchor(heading))
        return text

    def image(self, node: nodes.Element) -> str:
        uri = node.get("uri", "")
        alt = escape(" ".join(str(node.get("alt", "")).split()))
        if re.match(r"^https?://", uri, re.IGNORECASE):
            return f"![{alt}]({_url(uri)})"
        url = self.resolver.file_url(uri, current=self.parsed.path)
        if url is None:
            self.warnings.append(f"image {uri!r} not found in the folder")
            return ""
        return f"![{alt}]({_url(url)})"


def _anchor(heading: str) -> str:
    return ANCHOR_PREFIX + heading_slug(heading)


def to_markdown(parsed: Parsed, resolver: Resolver) -> str:
    """The page as Markdown, without its title (which the article holds)."""
    return Converter(parsed, resolver).markdown()


def docname(path: str) -> str:
    """A page's name as Sphinx's ``:doc:`` names it: its path without the suffix."""
    stem, suffix = posixpath.splitext(path)
    return stem if suffix.lower() in PAGE_SUFFIXES else path


def resolve_docname(target: str, *, current: str) -> str:
    """``target`` of a ``:doc:`` or a relative link, as a docname from the root."""
    target = target.strip()
    if target.startswith("/"):
        joined = target.lstrip("/")
    else:
        joined = posixpath.join(posixpath.dirname(current), target)
    normalized = posixpath.normpath(joined) if joined else ""
    return "" if normalized == "." else docname(normalized)
