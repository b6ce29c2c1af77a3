from __future__ import annotations

from html.parser import HTMLParser

import pytest

from deskwise.kb.render import render_markdown, summary_of


def elements(html: str) -> list[tuple[str, dict[str, str]]]:
    """The elements a browser would build from ``html``, with their attributes."""
    found: list[tuple[str, dict[str, str]]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, {name: value or "" for name, value in attrs}))

    Collect().feed(html)
    return found


def urls(html: str) -> list[str]:
    return [
        attrs[name].strip().lower()
        for _, attrs in elements(html)
        for name in ("href", "src")
        if name in attrs
    ]


class TestRenderingIsSafe:
    @pytest.mark.parametrize(
        "body",
        [
            "<script>alert(1)</script>",
            "Hello <script src=//evil.example/x.js></script>",
            '<img src=x onerror="alert(1)">',
            '<a href="#" onclick="alert(1)">click</a>',
            "<iframe src=https://evil.example></iframe>",
            '<svg onload="alert(1)"></svg>',
            "<style>body{display:none}</style>",
        ],
    )
    def test_raw_html_is_shown_as_text_never_run(self, body):
        html = render_markdown(body)
        assert [tag for tag, _ in elements(html)] == ["p"]
        assert "&lt;" in html  # escaped, still readable

    @pytest.mark.parametrize(
        "link",
        [
            "[click](javascript:alert(1))",
            "[click](JAVASCRIPT:alert(1))",
            "[click](  javascript:alert(1) )",
            "[click](java&#x09;script:alert(1))",
            "[click](vbscript:msgbox(1))",
            "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "[click](file:///etc/passwd)",
            "<javascript:alert(1)>",
            "[ref]\n\n[ref]: javascript:alert(1)",
        ],
    )
    def test_dangerous_link_schemes_lose_their_link(self, link):
        for url in urls(render_markdown(link)):
            assert not url.startswith(("javascript", "vbscript", "data:", "file:")), url

    @pytest.mark.parametrize(
        "image",
        [
            "![x](data:image/png;base64,iVBORw0KGgo=)",
            "![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
            "![x](javascript:alert(1))",
        ],
    )
    def test_data_and_script_images_lose_their_source(self, image):
        assert urls(render_markdown(image)) == []

    def test_links_get_rel_noopener_and_keep_safe_schemes(self):
        html = render_markdown(
            "[a](https://example.org) [b](mailto:help@example.org) [c](/kb/vpn/) [d](../x)"
        )
        assert html.count('rel="noopener noreferrer"') == 4
        assert 'href="https://example.org"' in html
        assert 'href="mailto:help@example.org"' in html
        assert 'href="/kb/vpn/"' in html
        assert 'href="../x"' in html

    def test_code_language_classes_are_kept_but_not_other_attributes(self):
        html = render_markdown('```python\nprint("hi")\n```\n\n```x" onmouseover="y\nz\n```')
        assert '<code class="language-python">' in html
        assert all(not name.startswith("on") for _, attrs in elements(html) for name in attrs)

    def test_no_element_ever_carries_an_event_handler(self):
        body = '[x](https://a.example "t" onclick="y") ![i](https://a.example/i.png "t"onerror=x")'
        for _, attrs in elements(render_markdown(body)):
            assert not any(name.startswith("on") for name in attrs)


class TestRendering:
    def test_commonmark_with_tables_and_strikethrough(self):
        html = render_markdown("| a | b |\n|:--|--:|\n| 1 | 2 |\n\n~~old~~ **new** *it*")
        assert "<table>" in html
        assert '<td style="text-align:right">2</td>' in html
        assert "<s>old</s>" in html
        assert "<strong>new</strong>" in html

    def test_headings_get_prefixed_anchors(self):
        html = render_markdown("## Connect on Windows\n\n## Connect on Windows")
        assert 'id="kb-connect-on-windows"' in html
        assert 'id="kb-connect-on-windows-1"' in html

    def test_bare_urls_are_not_linked(self):
        assert "<a" not in render_markdown("see https://example.org now")


class TestSummary:
    def test_first_paragraph_as_plain_text(self):
        body = "# Title\n\nUse *the* `vpn` client,\nthen [sign in](https://x).\n\nMore."
        assert summary_of(body) == "Use the vpn client, then sign in."

    def test_long_paragraphs_are_cut_at_a_word(self):
        summary = summary_of("word " * 200)
        assert len(summary) <= 300
        assert summary.endswith("word…")

    def test_the_page_s_own_paragraph_before_a_box_s(self):
        assert summary_of("> **Note**\n>\n> Boxed.\n\nThe intro.") == "The intro."
        assert summary_of("- only a list item") == "only a list item"

    def test_no_paragraph_no_summary(self):
        assert summary_of("```\ncode only\n```") == ""
        assert summary_of("") == ""
