"""Chinese numerals, both ways, in one place: 第三十二项 read as 32, category 9 written 九、."""

from __future__ import annotations

DIGITS = "零一二三四五六七八九"
_VALUES = {ch: i for i, ch in enumerate(DIGITS)} | {"两": 2}


def to_chinese(n: int) -> str:
    """``n`` (0–999) in Chinese numerals as headings write it: 9 → 九, 10 → 十, 32 → 三十二, 105 → 一百零五."""
    if not 0 <= n <= 999:
        return str(n)
    if n < 10:
        return DIGITS[n]
    if n < 20:
        return "十" + (DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return DIGITS[n // 10] + "十" + (DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    tail = (
        ""
        if rest == 0
        else ("零" + DIGITS[rest] if rest < 10 else ("一" + to_chinese(rest) if rest < 20 else to_chinese(rest)))
    )
    return DIGITS[n // 100] + "百" + tail


def from_chinese(text: str) -> int | None:
    """The value of Chinese numerals (三十二, 一百零五, 三二 read digit by digit); ``None`` if not numerals."""
    if not text or any(ch not in _VALUES and ch not in "十百" for ch in text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = current * 10 + _VALUES[ch]  # 三二 → 32, 一零五 → 105
    return total + current
