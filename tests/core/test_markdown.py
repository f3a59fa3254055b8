from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hack365.core.markdown import markdown_to_text, render_markdown

XSS_ATTEMPTS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[klicka](javascript:alert(1))",
    "[klicka](JaVaScRiPt:alert(1))",
    "[klicka](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="javascript:alert(1)">x</a>',
    "![x](javascript:alert(1))",
    "<svg onload=alert(1)>",
    "<iframe src=https://evil.example></iframe>",
    "<style>body{display:none}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "[x](vbscript:msgbox(1))",
    "<<script>script>alert(1)<</script>/script>",
    "<details open ontoggle=alert(1)>",
    "`<script>` i kod är ofarligt",
    "<form action=https://evil.example><input name=a></form>",
]

SAFE_TAGS = {
    "p", "br", "hr", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li",
    "h2", "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr", "th", "td", "del",
}  # fmt: skip
SAFE_ATTRIBUTES = {"href", "title", "rel", "align", "start"}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in SAFE_TAGS:
            self.problems.append(f"tag <{tag}>")
        for name, value in attrs:
            if name not in SAFE_ATTRIBUTES:
                self.problems.append(f"attribute {name}")
            if name == "href" and not re.match(r"^(https?:|mailto:|#|/|[^:]*$)", value or ""):
                self.problems.append(f"href {value}")


def dangerous(html: str) -> list[str]:
    """Tags, attributes or link schemes outside the safe set: what the browser
    would actually interpret, not text that merely mentions them."""
    collector = _Collector()
    collector.feed(html)
    return collector.problems


@pytest.mark.parametrize("source", XSS_ATTEMPTS)
def test_xss_attempts_come_out_harmless(source: str) -> None:
    html = str(render_markdown(source))
    assert not dangerous(html), html


def test_markdown_renders_structure_and_safe_links() -> None:
    html = str(
        render_markdown("# Rubrik\n\n**fet** och [länk](https://www.dataportal.se)\n\n- a\n- b")
    )
    assert "<h2>Rubrik</h2>" in html  # the page owns the only h1
    assert "<strong>fet</strong>" in html
    assert 'href="https://www.dataportal.se"' in html
    assert 'rel="noopener noreferrer nofollow ugc"' in html
    assert "<li>a</li>" in html


def test_raw_html_is_shown_as_text_not_rendered() -> None:
    html = str(render_markdown("<b>fet</b>"))
    assert "<b>" not in html
    assert "&lt;b&gt;" in html


def test_empty_input() -> None:
    assert render_markdown(None) == ""
    assert render_markdown("") == ""
    assert markdown_to_text(None) == ""


def test_plain_text_is_shortened_on_a_word() -> None:
    text = markdown_to_text("**Hej** på dig, detta är en lång text om öppna data", limit=20)
    assert text.endswith("…")
    assert len(text) <= 20
    assert "<" not in text


@given(st.text(max_size=300))
def test_any_text_renders_without_dangerous_markup(source: str) -> None:
    html = str(render_markdown(source))
    assert not dangerous(html), html


def test_remembered_and_long_texts_are_cleaned_alike() -> None:
    from hack365.core import markdown

    text = "# Rubrik\n\n<script>alert(1)</script> [länk](javascript:alert(1)) **fet**"
    first, second = render_markdown(text), render_markdown(text)
    assert first == second and "<script" not in first and 'href="javascript' not in first
    assert "<h2>Rubrik</h2>" in first and "<strong>fet</strong>" in first
    long = text + "\n\n" + "ord " * markdown.MEMO_MAX_CHARS
    rendered = render_markdown(long)
    assert "<script" not in rendered and 'href="javascript' not in rendered
    assert markdown._render_memo.cache_info().currsize >= 1
