"""Pinyin of indexed names (pypinyin, phrase-aware so that 参保 reads canbao, 银行 yinhang).

pypinyin takes a quarter of a second to import: only the index builder and mixed
Chinese/Latin queries use this module.

pypinyin splits a text into runs of Chinese characters and runs of other characters and converts
each run on its own (phrases never cross a run), so the pinyin of a text is the pinyin of its runs
put together: runs are converted once and remembered (a province's names share most of their runs:
社会保障卡补领（1234） is 社会保障卡补领 and （1234））.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _pypinyin() -> Any:
    import pypinyin

    return pypinyin


@lru_cache(maxsize=1)
def _runs() -> re.Pattern[str]:
    """Maximal runs of the characters pypinyin converts (its own ``RE_HANS`` class)."""
    from pypinyin.constants import RE_HANS

    pattern = RE_HANS.pattern
    if not (pattern.startswith("^(?:") and pattern.endswith(")+$")):  # pragma: no cover - another pypinyin
        return re.compile(r"(?!)")
    return re.compile(f"({pattern[1:-1]})")


def _pieces(text: str) -> list[str]:
    return [piece for piece in _runs().split(text) if piece] or [text]


@lru_cache(maxsize=1)
def _converter() -> tuple[Any, Any]:
    """pypinyin's segmenter and the converter ``lazy_pinyin(..., v_to_u=False)`` builds on every call,
    made once: ``lazy_pinyin`` is the syllables of each word the segmenter cuts, each word converted
    on its own (no tone sandhi)."""
    from pypinyin.converter import UltimateConverter
    from pypinyin.core import Pinyin

    converter = UltimateConverter(v_to_u=False, neutral_tone_with_five=False, tone_sandhi=False)
    return Pinyin(converter), converter


@lru_cache(maxsize=65536)
def _syllables(piece: str) -> tuple[str, ...]:
    """``lazy_pinyin(piece, style=Style.NORMAL, errors="default", v_to_u=False)``."""
    segmenter = _converter()[0]
    return tuple(s for word in segmenter.seg(piece) for s in _word(word))


@lru_cache(maxsize=16384)
def _word(word: str) -> tuple[str, ...]:
    """The syllables of one word of pypinyin's segmenter (names share most of their words)."""
    p = _pypinyin()
    converter = _converter()[1]
    return tuple(s for options in converter.convert(word, p.Style.NORMAL, False, "default", True) for s in options)


@lru_cache(maxsize=16384)
def full(text: str) -> str:
    """Full pinyin without tones or separators: 失业登记 → shiyedengji."""
    return "".join(s for piece in _pieces(text) for s in _syllables(piece))


@lru_cache(maxsize=16384)
def initials(text: str) -> str:
    """The first letter of each syllable: 失业登记 → sydj."""
    return "".join(s[:1] for piece in _pieces(text) for s in _syllables(piece))


def full_and_initials(text: str) -> tuple[str, str]:
    """:func:`full` and :func:`initials` of ``text`` at once (the index builder needs both of every
    name; a province's names are seen once each, so they are not remembered)."""
    syllables = [s for piece in _pieces(text) for s in _syllables(piece)]
    return "".join(syllables), "".join(s[:1] for s in syllables)
