"""Text normalisation shared by both search backends.

Case is folded by the engines; here we fold accents *where sensible*: é, è,
ü, ñ … lose their marks (``café`` finds ``cafe``), but the Swedish letters å,
ä and ö stay distinct from a and o (``får`` is not ``far``). Danish and
Norwegian æ and ø are written as their Swedish equivalents ä and ö, as
Swedish collation treats them.

User queries are never handed to a query parser: they are split into words
here and the backends build their queries from those words, so quotes,
operators (AND, OR, NEAR, ``*``), parentheses and control characters are
plain text, never syntax."""

from __future__ import annotations

import re
import unicodedata

# A query longer than this is cut (the rest is ignored, not an error).
MAX_QUERY_CHARS = 500
# At most this many distinct words of a query are searched for.
MAX_QUERY_WORDS = 12
# Longer "words" (hashes, base64, URLs glued together) are not indexed.
MAX_WORD_CHARS = 40

_KEEP_MARKS = {
    ("a", "\u030a"),  # å
    ("A", "\u030a"),  # Å
    ("a", "\u0308"),  # ä
    ("A", "\u0308"),  # Ä
    ("o", "\u0308"),  # ö
    ("O", "\u0308"),  # Ö
}
_SPECIAL = {"æ": "ä", "Æ": "Ä", "ø": "ö", "Ø": "Ö", "ß": "ss", "\x00": " "}


def _fold_char(char: str) -> str:
    if char in _SPECIAL:
        return _SPECIAL[char]
    decomposed = unicodedata.normalize("NFD", char)
    if len(decomposed) == 1:
        return char
    base, marks = decomposed[0], decomposed[1:]
    kept = "".join(mark for mark in marks if (base, mark) in _KEEP_MARKS)
    if not kept and unicodedata.category(base).startswith("M"):
        return ""
    return unicodedata.normalize("NFC", base + kept)


class _FoldTable(dict[int, str]):
    """``str.translate`` table that computes (and remembers) each non-ASCII
    character's folding the first time it is seen."""

    def __missing__(self, codepoint: int) -> str:
        folded = _fold_char(chr(codepoint))
        self[codepoint] = folded
        return folded


_FOLD = _FoldTable({0: " "})


def fold(text: str) -> str:
    """Accent-fold ``text`` as described above; case is left alone."""
    if text.isascii():
        return text.replace("\x00", " ") if "\x00" in text else text
    return unicodedata.normalize("NFC", text).translate(_FOLD)


# A word is a run of letters and digits (as the engines' tokenisers see it).
_WORD = re.compile(r"[^\W_]+")
# Written in capitals, these are what people type for query syntax elsewhere:
# they are ignored rather than searched for (and never act as operators).
_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})


def query_words(query: str) -> list[str]:
    """The distinct lower-cased, folded words of a user query, in order, at
    most MAX_QUERY_WORDS of them. Everything that is not a letter or digit
    separates words; nothing is syntax (capitalised AND, OR, NOT and NEAR are
    dropped)."""
    if not query:
        return []
    words: list[str] = []
    for match in _WORD.finditer(fold(query[:MAX_QUERY_CHARS])):
        if match.group() in _OPERATORS:
            continue
        word = match.group().lower()
        if len(word) > MAX_WORD_CHARS or word in words:
            continue
        words.append(word)
        if len(words) == MAX_QUERY_WORDS:
            break
    return words
