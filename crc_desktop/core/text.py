"""Vietnamese text in one place: NFC for everything stored, sort order, diacritic-free search.

SQLite compares code points, which puts "Đắk Lắk" after "Thừa Thiên"; sorting therefore
happens in Python with `sort_key`, and searching with `fold`.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable

_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}

# Combining marks that make a new letter (ă â ê ô ơ ư) rather than a tone.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
# Tones in the order Vietnamese dictionaries use: none, huyền, hỏi, ngã, sắc, nặng.
_TONE_ORDER = {"": 0, "\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def nfc(text: str | None) -> str | None:
    """The NFC form of `text` with surrounding blanks removed (None stays None)."""
    if text is None:
        return None
    return unicodedata.normalize("NFC", text).strip()


def _letters(text: str) -> list[tuple[str, str]]:
    """Split lower-cased text into (letter, tone) pairs, letter carrying its own marks."""
    result: list[tuple[str, str]] = []
    for ch in unicodedata.normalize("NFD", text.lower()):
        if unicodedata.combining(ch) and result:
            base, tone = result[-1]
            if ch in _LETTER_MARKS:
                result[-1] = (_combine(base, ch), tone)
            elif ch in _TONE_ORDER:
                result[-1] = (base, ch)
            continue
        result.append((ch, ""))
    return result


def _combine(base: str, mark: str) -> str:
    return unicodedata.normalize("NFC", base + mark)


def sort_key(text: str | None) -> tuple:
    """A key that orders Vietnamese words as a dictionary does (letters first, then tones)."""
    letters = _letters(text or "")
    primary = tuple(
        (0, _RANK[letter]) if letter in _RANK else (1 if letter.isalnum() else -1, ord(letter[0]))
        for letter, _tone in letters
    )
    secondary = tuple(_TONE_ORDER.get(tone, 9) for _letter, tone in letters)
    return primary, secondary, text or ""


def fold(text: str | None) -> str:
    """Lower case without diacritics, đ as d: the form searches compare."""
    decomposed = unicodedata.normalize("NFD", (text or "").lower().replace("đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.split())


def matches(query: str | None, *fields: str | None) -> bool:
    """True when every word of `query` occurs, folded, in one of `fields`."""
    words = fold(query).split()
    haystack = " ".join(fold(field) for field in fields if field)
    return all(word in haystack for word in words)


def recommendation_label(paragraph: int, sub: str) -> str:
    """How the Committee's paragraphs are cited: 12, 12(a)."""
    return f"{paragraph}({sub})" if sub else str(paragraph)


def nearest(query: str | None, candidates: Iterable[str], n: int = 3) -> list[str]:
    """The candidates closest to `query`, compared without case or diacritics: the names and codes
    a refusal suggests ("Công an Thành phố Hồ Chí Minh" → "Công an thành phố"). A candidate the
    query contains, or that contains it, comes first; then difflib's closest."""
    by_fold: dict[str, str] = {}
    for candidate in candidates:
        by_fold.setdefault(fold(candidate), candidate)
    wanted = fold(query)
    if not wanted:
        return []
    inside = [f for f in by_fold if f and (f in wanted or wanted in f)]
    inside.sort(key=lambda f: abs(len(f) - len(wanted)))
    close = difflib.get_close_matches(wanted, list(by_fold), n=n, cutoff=0.6)
    chosen = list(dict.fromkeys([*inside, *close]))[:n]
    return [by_fold[f] for f in chosen]
