"""Text normalisation shared by every query and every indexed text.

NFKC (full-width → half-width), traditional → simplified Chinese (OpenCC), punctuation, brackets
and spaces removed, letters lower-cased. OpenCC is imported only when the text has a character
that ``t2s`` changes (:mod:`rsguide.search.t2s_chars`), so simplified queries never load it.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache

TYPE_CHECKING = False  # typing itself is not imported: `show`'s fast path imports this module
if TYPE_CHECKING:
    from typing import Any

_DROP = re.compile(r"[\W_]+", re.UNICODE)
_LATIN = re.compile(r"[a-z]")
_TONED = re.compile(r"[\u00c0-\u024f\u0300-\u036f]")
"""Latin letters with diacritics (pinyin tone marks: tèshū gōngzhǒng) and combining marks."""


_NOT_CJK_HIGH = bytes(b for b in range(256) if not (0x34 <= b <= 0x9F or b in (0xF9, 0xFA)))
"""High bytes (UTF-16) of the characters outside U+3400–9FFF and U+F900–FAFF."""


@lru_cache(maxsize=1)
def _converter() -> Any:
    try:
        import opencc
    except ImportError:  # pragma: no cover - OpenCC is a dependency
        return None
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=4096)
def to_simplified(text: str) -> str:
    """Traditional → simplified Chinese (identity for text without a character that ``t2s`` changes:
    OpenCC is loaded only when one is there, see :mod:`rsguide.search.t2s_chars`)."""
    from rsguide.search.t2s_chars import has_t2s

    if not has_t2s(text):
        return text
    conv = _converter()
    return conv.convert(text) if conv else text


def fold(text: str) -> str:
    """NFKC, lower-case, and drop everything that is not a letter, digit or CJK character."""
    text = unicodedata.normalize("NFKC", text).lower()
    if _TONED.search(text):  # tèshū → teshu: pinyin typed with tone marks is pinyin
        text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return _DROP.sub("", text)


@lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """The canonical form used for matching: :func:`fold` then simplified Chinese."""
    return to_simplified(fold(text))


def has_cjk(text: str) -> bool:
    """Whether the text contains a CJK ideograph (U+3400–9FFF, U+F900–FAFF).

    Tested on the high bytes of the text as UTF-16 (a character class of 27,000 characters would
    take ≈ 3 ms to compile; "utf-16", in the machine's byte order after a byte-order mark, is the
    codec Python has without loading a codec module)."""
    if text.isascii():
        return False
    high = slice(2, None, 2) if sys.byteorder == "big" else slice(3, None, 2)  # after the byte-order mark
    return bool(text.encode("utf-16", "surrogatepass")[high].translate(None, _NOT_CJK_HIGH))


def has_latin(text: str) -> bool:
    """Whether the (normalised) text contains a Latin letter."""
    return bool(_LATIN.search(text))


def clean_input(text: str) -> str:
    """Make arbitrary user input safe to match and print: no control characters or surrogates."""
    text = text.encode("utf-8", "replace").decode("utf-8") if _has_surrogate(text) else text
    return "".join(ch if ch.isprintable() or ch == " " else " " for ch in text).strip()


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)
