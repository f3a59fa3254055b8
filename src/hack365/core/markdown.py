"""Markdown → sanitised HTML. Raw HTML in the source is not rendered; the
output is cleaned again with nh3 (ammonia) so nothing executable survives."""

from __future__ import annotations

from functools import lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li",
    "h2", "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr", "th", "td", "del",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    return md


def _demote_h1(html: str) -> str:
    # The page owns the only <h1>; headings in user text start at <h2>.
    return html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")


# The same texts (a challenge's problem, a solution's) are shown on page after
# page: their HTML is remembered per process, for texts up to this length.
MEMO_MAX_CHARS = 20_000


@lru_cache(maxsize=1024)
def _render_memo(text: str) -> str:
    return _render(text)


def _render(text: str) -> str:
    html = _demote_h1(_parser().render(text))
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow ugc",
    )


def render_markdown(text: str | None) -> SafeString:
    if not text:
        return mark_safe("")  # noqa: S308
    text = str(text)
    cleaned = _render_memo(text) if len(text) <= MEMO_MAX_CHARS else _render(text)
    return mark_safe(cleaned)  # noqa: S308 - cleaned by nh3 above


def markdown_to_text(text: str | None, limit: int | None = None) -> str:
    """Plain text of a Markdown string (for summaries and meta descriptions)."""
    if not text:
        return ""
    plain = nh3.clean(_parser().render(text), tags=set())
    plain = " ".join(plain.split())
    if limit and len(plain) > limit:
        plain = plain[: limit - 1].rsplit(" ", 1)[0] + "…"
    return plain
