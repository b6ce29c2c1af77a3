"""reStructuredText as Sphinx projects write it, converted to Markdown."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from deskwise.kb import rst
from deskwise.kb.render import render_markdown


class Links:
    """Every page exists at /kb/<its docname with dashes>/; labels are known by name."""

    def __init__(self, labels: dict[str, tuple[str, str]] | None = None) -> None:
        self.labels = labels or {}
        self.files: list[str] = []

    def page_url(self, target: str, *, current: str) -> tuple[str, str] | None:
        name = rst.resolve_docname(target, current=current)
        if "missing" in name:
            return None
        return f"/kb/{name.replace('/', '-')}/", f"Title of {name}"

    def label_url(self, label: str) -> tuple[str, str] | None:
        return self.labels.get(label)

    def file_url(self, target: str, *, current: str) -> str | None:
        if "missing" in target:
            return None
        self.files.append(target)
        return f"/kb/files/1/{Path(target).name}"


def convert(text: str, *, path: str = "guide/page.rst", root: Path | None = None, **kw) -> str:
    parsed = rst.parse(textwrap.dedent(text), path=path, root=root)
    return rst.to_markdown(parsed, Links(**kw))


def title_of(text: str) -> str:
    return rst.parse(textwrap.dedent(text), path="x.rst").title


class TestStructure:
    def test_title_sections_and_metadata(self):
        text = """
        :orphan:

        .. _top-label:

        Using the VPN
        =============

        Intro paragraph.

        On Windows
        ----------

        Install it.

        Details
        ~~~~~~~

        More.
        """
        assert title_of(text) == "Using the VPN"
        md = convert(text)
        assert md == "Intro paragraph.\n\n## On Windows\n\nInstall it.\n\n### Details\n\nMore.\n"

    def test_a_page_without_a_title(self):
        assert title_of("Just a fragment that other pages include.\n") == ""
        assert convert("Just a fragment.\n") == "Just a fragment.\n"

    def test_lists_nested_and_numbered(self):
        md = convert(
            """
            T
            =

            - one
            - two

              - two a
              - two b

            3. three
            4. four
            """
        )
        assert "- one\n- two\n  - two a\n  - two b" in md
        assert "3. three\n4. four" in md

    def test_definition_and_field_lists(self):
        md = convert(
            """
            Term one
                Its definition.
            ``--flag``
                What it does.

            :Author: Someone
            """
        )
        assert "- **Term one**\n\n  Its definition." in md
        assert "- **`--flag`**\n\n  What it does." in md
        assert "- **Author:**\n\n  Someone" in md

    def test_tables(self):
        md = convert(
            """
            ===== ==========
            Name  What
            ===== ==========
            a     ``code`` |
            b     *it*
            ===== ==========

            .. list-table::
               :header-rows: 1

               * - Head
                 - Other
               * - x
                 - y
            """
        )
        assert "| Name | What |\n|---|---|\n| a | `code` \\| |\n| b | *it* |" in md
        assert "| Head | Other |\n|---|---|\n| x | y |" in md

    def test_literal_blocks_and_inline_markup(self):
        md = convert(
            """
            Run this::

                $ ssh host
                ```odd```

            Use ``a `tick` inside``, *emphasis*, **strong** and `default role`.
            """
        )
        assert "Run this:\n\n````\n$ ssh host\n```odd```\n````" in md
        assert "`` a `tick` inside ``" in md
        assert "*emphasis*, **strong** and *default role*." in md

    def test_text_that_looks_like_markdown_stays_text(self):
        text = "# not a heading, * not a list, 1. not a list, a_b_c, _x_, <b>, [x](y), &amp;"
        md = convert(text + "\n")
        html = render_markdown(md)
        plain = re.sub(r"<[^>]+>", "", html).strip()
        assert plain == text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def test_line_blocks_keep_their_lines(self):
        md = convert("| Line one\n| Line two\n")
        assert md == "Line one\\\nLine two\n"
        assert "<br" in render_markdown(md)


class TestSphinxRoles:
    def test_doc_links_are_resolved_with_titles(self):
        md = convert("See :doc:`setup`, :doc:`/triton/index`, :doc:`Here <../other>`.\n")
        assert "[Title of guide/setup](/kb/guide-setup/)" in md
        assert "[Title of triton/index](/kb/triton-index/)" in md
        assert "[Here](/kb/other/)" in md

    def test_unknown_pages_keep_their_text(self):
        assert convert(":doc:`missing/page` and :doc:`Text <missing/x>`\n") == (
            "missing/page and Text\n"
        )

    def test_ref_labels(self):
        labels = {"vpn-setup": ("/kb/vpn/#kb-setup", "Setting up")}
        md = convert(
            ":ref:`vpn-setup` and :ref:`this <vpn-setup>` and :ref:`gone`\n", labels=labels
        )
        assert md == "[Setting up](/kb/vpn/#kb-setup) and [this](/kb/vpn/#kb-setup) and gone\n"

    def test_other_roles(self):
        md = convert(
            "Press :kbd:`Ctrl-C`, click :guilabel:`&Save`, call :py:func:`os.path.join`, "
            ":func:`~x.y`, :command:`ls`, :term:`cluster`, :abbr:`VPN (virtual network)`, "
            ":math:`x^2`, :unknownrole:`kept text`, :download:`script <missing/s.py>`.\n"
        )
        assert "Press `Ctrl-C`, click **Save**, call `os.path.join`, `x.y`, `ls`, cluster," in md
        assert "VPN, `x^2`, kept text, script." in md
        assert ":" not in md.replace("os.path", "")  # no role markers left

    def test_relative_page_links(self):
        md = convert(
            "`Setup <setup.rst>`__, `Other <../x.html#anchor>`__, `Web <https://a.b/c>`__\n"
        )
        assert md == "[Setup](/kb/guide-setup/), [Other](/kb/x/), [Web](https://a.b/c)\n"

    def test_unsafe_link_schemes_keep_only_their_text(self):
        md = convert("`click <javascript:alert(1)>`__ and `d <data:text/html,x>`__\n")
        assert md == "click and d\n"


class TestSphinxDirectives:
    def test_code_block_with_sphinx_options(self):
        md = convert(
            """
            .. code-block:: python
               :linenos:
               :emphasize-lines: 2
               :caption: hello.py

               print("hi")
               print("there")

            .. code-block::

               plain
            """
        )
        assert '*hello.py*\n\n```python\nprint("hi")\nprint("there")\n```' in md
        assert "```\nplain\n```" in md

    def test_admonitions_are_quotes_with_a_bold_title(self):
        md = convert(
            """
            .. note:: Text on the first line
               and more.

            .. admonition:: Custom title
               :class: important

               Body with :doc:`setup`.

            .. seealso::

               Elsewhere.

            .. warning::

               - a list
            """
        )
        assert "> **Note**\n>\n> Text on the first line and more." in md
        assert "> **Custom title**\n>\n> Body with [Title of guide/setup](/kb/guide-setup/)." in md
        assert "> **See also**\n>\n> Elsewhere." in md
        assert "> **Warning**\n>\n> - a list" in md

    def test_toctree_becomes_links(self):
        md = convert(
            """
            .. toctree::
               :maxdepth: 2
               :hidden:

               setup
               Custom <other/page>
               https://example.org/x
               glob/*
            """
        )
        assert md == (
            "- [Title of guide/setup](/kb/guide-setup/)\n"
            "- [Custom](/kb/guide-other-page/)\n"
            "- <https://example.org/x>\n"
        )

    def test_tabs_exercises_and_unknown_directives_keep_content(self):
        md = convert(
            """
            .. tabs::

               .. tab:: Linux

                  Use ssh.

            .. exercise:: Try it

               Run it.

            .. totally-unknown:: argument
               :option: value

               Content **kept**.

            .. highlight:: console
            .. index:: single: vpn
            .. raw:: html

               <script>alert(1)</script>
            """
        )
        assert "> **Linux**\n>\n> Use ssh." in md
        assert "> **Exercise: Try it**\n>\n> Run it." in md
        assert "> **argument**\n>\n> Content **kept**." in md
        assert ".." not in md
        assert "::" not in md
        assert "script" not in md

    def test_images_and_figures(self):
        links = Links()
        parsed = rst.parse(
            textwrap.dedent(
                """
                .. figure:: /images/shot.png
                   :scale: 50%
                   :alt: The login page

                   How it looks.

                .. image:: missing.png

                .. image:: https://example.org/pic.png
                   :alt: remote
                """
            ),
            path="guide/page.rst",
        )
        md = rst.to_markdown(parsed, links)
        assert "![The login page](/kb/files/1/shot.png)\n\n*How it looks.*" in md
        assert "![remote](https://example.org/pic.png)" in md
        assert "missing" not in md
        assert links.files == ["/images/shot.png"]
        assert any("missing.png" in w for w in parsed.warnings)


class TestFiles:
    def test_include_reads_files_inside_the_folder_only(self, tmp_path):
        (tmp_path / "guide").mkdir()
        (tmp_path / "snippets").mkdir()
        (tmp_path / "snippets" / "common.rst").write_text("Included *text*.\n")
        (tmp_path / "guide" / "near.rst").write_text("Near text.\n")
        (tmp_path / "guide" / "self.rst").write_text(".. include:: self.rst\n\nOnce.\n")
        outside = tmp_path.parent / f"{tmp_path.name}-secret.rst"
        outside.write_text("SECRET\n")
        md = convert(
            f"""
            .. include:: /snippets/common.rst
            .. include:: near.rst
            .. include:: ../../{outside.name}
            .. include:: /etc/passwd
            .. include:: self.rst
            .. include:: near.rst
            """,
            root=tmp_path,
        )
        assert md.count("Near text.") == 2  # twice is fine, inside itself is not
        assert "Included *text*." in md
        assert md.count("Once.") == 1
        assert "SECRET" not in md
        assert "root:" not in md

    def test_literalinclude_and_missing_files(self, tmp_path):
        (tmp_path / "guide").mkdir()
        (tmp_path / "guide" / "job.sh").write_text("#!/bin/bash\n# start\necho hi\n# end\n")
        md = convert(
            """
            .. literalinclude:: job.sh
               :start-after: # start
               :end-before: # end

            .. literalinclude:: /examples/missing.py
               :language: python
            """,
            root=tmp_path,
        )
        assert "```bash\necho hi\n```" in md
        assert "*The file `missing.py` is not included here.*" in md

    def test_docutils_own_file_reading_is_off(self, tmp_path):
        md = convert(
            """
            .. csv-table:: Passwords
               :file: /etc/passwd

            .. raw:: html
               :file: /etc/passwd
            """,
            root=tmp_path,
        )
        assert "root" not in md


def test_every_page_of_a_tricky_document_converts():
    """Broken markup, unknown roles in titles, substitutions: text survives, nothing raises."""
    md = convert(
        """
        Title with :unknown:`role`
        ==========================

        A `broken link`_ and |undefined| and [#]_ footnote.

        .. [#] The note.

        .. |sub| replace:: replaced

        A |sub| text.

        * unbalanced ``literal
        """
    )
    assert "broken link and undefined" in md
    assert "A replaced text." in md
    assert "The note." in md


@pytest.mark.parametrize(
    ("target", "current", "expected"),
    [
        ("setup", "guide/page.rst", "guide/setup"),
        ("/triton/index", "guide/page.rst", "triton/index"),
        ("../a/b.rst", "guide/sub/page.rst", "guide/a/b"),
        ("x.html", "page.rst", "x"),
        ("./y.md", "d/page.md", "d/y"),
    ],
)
def test_resolve_docname(target, current, expected):
    assert rst.resolve_docname(target, current=current) == expected
