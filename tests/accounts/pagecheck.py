"""Small HTML checks for the account pages: one <h1>, labelled fields."""

from __future__ import annotations

import re
from html.parser import HTMLParser


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.h1 = 0
        self.controls: list[dict[str, str | None]] = []
        self.label_for: set[str] = set()
        self.titles: list[str] = []
        self._in_title = False
        self.inline_styles = 0
        self.inline_scripts = 0
        self._script_src: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if "style" in attributes:
            self.inline_styles += 1
        if tag == "h1":
            self.h1 += 1
        elif tag == "title":
            self._in_title = True
            self.titles.append("")
        elif tag == "label" and attributes.get("for"):
            self.label_for.add(str(attributes["for"]))
        elif tag in {"input", "select", "textarea"}:
            self.controls.append({"tag": tag, **attributes})
        elif tag == "script" and not attributes.get("src"):
            self.inline_scripts += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.titles[-1] += data


def check_page(html: str) -> _Collector:
    """Assert the conventions every page follows; return what was found."""
    found = _Collector()
    found.feed(html)
    assert found.h1 == 1, f"expected exactly one <h1>, found {found.h1}"
    assert len(found.titles) == 1 and found.titles[0].strip()
    assert found.inline_styles == 0, "inline style attribute"
    assert found.inline_scripts == 0, "inline <script>"
    for control in found.controls:
        if control.get("type") in {"hidden", "submit", "button"}:
            continue
        control_id = control.get("id")
        assert control_id, f"form control without id: {control}"
        assert control_id in found.label_for, f"no <label for={control_id!r}>"
    return found


def title_of(html: str) -> str:
    match = re.search(r"<title>(.*?)</title>", html, re.S)
    assert match
    return " ".join(match.group(1).split())


def error_summary(html: str) -> str:
    """The text of the error summary (the form's errors, without markup)."""
    match = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    if not match:
        return ""
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(0)).split())
