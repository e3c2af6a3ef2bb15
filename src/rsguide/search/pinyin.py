"""Pinyin of indexed names (pypinyin, phrase-aware so that 参保 reads canbao, 银行 yinhang).

pypinyin takes a quarter of a second to import: only the index builder and mixed
Chinese/Latin queries use this module.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _pypinyin() -> Any:
    import pypinyin

    return pypinyin


@lru_cache(maxsize=16384)
def full(text: str) -> str:
    """Full pinyin without tones or separators: 失业登记 → shiyedengji."""
    p = _pypinyin()
    return "".join(p.lazy_pinyin(text, style=p.Style.NORMAL, errors="default", v_to_u=False))


@lru_cache(maxsize=16384)
def initials(text: str) -> str:
    """The first letter of each syllable: 失业登记 → sydj."""
    p = _pypinyin()
    return "".join(s[:1] for s in p.lazy_pinyin(text, style=p.Style.NORMAL, errors="default"))
