"""Text normalisation and query parsing for dataset search (no database)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hack365.catalog.search import build_request
from hack365.catalog.search.text import MAX_QUERY_WORDS, MAX_WORD_CHARS, fold, query_words


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Café crème", "Cafe creme"),
        ("Åre, Älvdalen, Örebro", "Åre, Älvdalen, Örebro"),
        ("åäö ÅÄÖ", "åäö ÅÄÖ"),
        ("Ærø og Søby", "Ärö og Söby"),
        ("Müller naïve señor", "Muller naive senor"),
        ("Straße", "Strasse"),
        ("plain ascii", "plain ascii"),
        ("a\x00b", "a b"),
        # Decomposed input (as macOS writes it) folds the same way.
        ("A\u030are", "Åre"),
        ("Cafe\u0301", "Cafe"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_query_words_are_plain_words() -> None:
    assert query_words('"Skogar" AND (vägarna OR NEAR*) and -x +y title:z') == [
        "skogar",
        "vägarna",
        "and",
        "x",
        "y",
        "title",
        "z",
    ]
    assert query_words("") == []
    assert query_words("*** ((( \x00 ''") == []
    assert query_words("skog skog SKOG") == ["skog"]
    assert query_words("e-tjänst_2024") == ["e", "tjänst", "2024"]


def test_query_words_are_limited() -> None:
    many = " ".join(f"ord{i}" for i in range(100))
    assert len(query_words(many)) == MAX_QUERY_WORDS
    assert query_words("x" * (MAX_WORD_CHARS + 1) + " skog") == ["skog"]
    assert query_words("a" * 100_000) == []


@given(st.text())
def test_query_words_never_fail(text: str) -> None:
    words = query_words(text)
    assert len(words) <= MAX_QUERY_WORDS
    assert all(w and w == w.lower() and len(w) <= MAX_WORD_CHARS for w in words)
    assert all("\x00" not in w for w in words)


def test_build_request_cleans_everything() -> None:
    request, page, page_size = build_request(
        "skog",
        filters={"theme": ["ENVI", "ENVI", " AGRI ", ""], "unknown": ["x"], "format": "CSV"},
        sort="bogus",
        page=-3,
        page_size=1000,
        language="EN-gb",
    )
    assert request.words == ("skog",)
    assert dict(request.filters) == {"theme": ("ENVI", "AGRI"), "format": ("CSV",)}
    assert request.sort == "relevance"
    assert (page, page_size, request.offset, request.limit) == (1, 100, 0, 100)
    assert request.language == "en"


def test_build_request_stops_at_the_result_window() -> None:
    request, page, _ = build_request("skog", page=600, page_size=20)
    assert (page, request.offset, request.limit) == (600, 10_000, 0)
    request, _, _ = build_request("skog", page=500, page_size=20)
    assert (request.offset, request.limit) == (9_980, 20)
