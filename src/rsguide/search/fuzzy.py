"""rapidfuzz's ``fuzz.ratio`` and ``fuzz.partial_ratio``, giving the same floats, without importing
rapidfuzz for the first comparisons of a process.

Importing rapidfuzz costs ≈ 7 ms (ten C extensions and :mod:`typing`), more than all the scoring of
a typical search, whose queries and texts are a few characters long. Here both measures are
computed in Python with rapidfuzz's own arithmetic:

- ``ratio(a, b)`` is the normalised Indel similarity, ``(1 - dist / (len(a) + len(b))) * 100``,
  where ``dist = len(a) + len(b) - 2 * LCS(a, b)``; the longest common subsequence is counted with
  the bit-parallel algorithm (one machine-word operation per character of the longer text);
- ``partial_ratio(a, b)`` is the best ``ratio`` of the shorter text against the windows of the
  longer one that rapidfuzz considers for a needle of at most 64 characters (every window of the
  needle's length, and the shorter ones at both ends, each starting or ending with a character of
  the needle), and for two texts of equal length the better of both directions.

A needle longer than 64 characters, and every comparison after the first :data:`BUDGET` of the
process (an interactive session, a long sentence scored against thousands of texts), goes to
rapidfuzz itself, loaded then. ``tests/test_lean_paths.py`` compares both with rapidfuzz on random
texts and on every comparison the search makes for the queries of the evaluation sets.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (start-up)
if TYPE_CHECKING:
    from typing import Any

BUDGET = 5000
"""Comparisons computed here per process before rapidfuzz (C++, ≈ 20× faster a call) takes over."""
LONG_NEEDLE = 64
"""Longer needles: rapidfuzz's partial_ratio searches their windows differently."""

_calls = 0
_rapidfuzz: Any = None
_MASKS: dict[str, dict[str, int]] = {}


def _fuzz() -> Any:
    global _rapidfuzz
    if _rapidfuzz is None:
        from rapidfuzz import fuzz

        _rapidfuzz = fuzz
    return _rapidfuzz


def _over_budget() -> bool:
    global _calls
    _calls += 1
    return _calls > BUDGET


def _masks(text: str) -> dict[str, int]:
    """Character → bit mask of its positions in ``text`` (the same query is compared many times)."""
    masks = _MASKS.get(text)
    if masks is None:
        if len(_MASKS) > 4096:
            _MASKS.clear()
        masks = {}
        bit = 1
        for ch in text:
            masks[ch] = masks.get(ch, 0) | bit
            bit <<= 1
        _MASKS[text] = masks
    return masks


def _lcs(masks: dict[str, int], full: int, other: str) -> int:
    """Length of the longest common subsequence of the text of ``masks`` (``full``: all its bits)
    and ``other`` (Hyyrö's bit-parallel algorithm)."""
    v = full
    get = masks.get
    for ch in other:
        u = v & get(ch, 0)
        if u:
            v = ((v + u) | (v - u)) & full
    return full.bit_length() - v.bit_count()


def ratio(s1: str, s2: str) -> float:
    """``rapidfuzz.fuzz.ratio(s1, s2)``: 0–100."""
    if _over_budget():
        return float(_fuzz().ratio(s1, s2))
    lensum = len(s1) + len(s2)
    if not lensum:
        return 100.0
    short, other = (s1, s2) if len(s1) <= len(s2) else (s2, s1)
    if not short:
        return 0.0
    lcs = _lcs(_masks(short), (1 << len(short)) - 1, other)
    return (1.0 - (lensum - 2 * lcs) / lensum) * 100


def partial_ratio(s1: str, s2: str) -> float:
    """``rapidfuzz.fuzz.partial_ratio(s1, s2)``: the best ratio of the shorter text against a
    window of the longer one, 0–100."""
    if not s1 and not s2:
        return 100.0
    if not s1 or not s2:
        return 0.0
    short, other = (s1, s2) if len(s1) <= len(s2) else (s2, s1)
    if len(short) > LONG_NEEDLE or _over_budget():
        return float(_fuzz().partial_ratio(s1, s2))
    best = _windows(short, other)
    if best != 100 and len(s1) == len(s2):
        best = max(best, _windows(other, short))
    return best


def _windows(needle: str, text: str) -> float:
    n, m = len(needle), len(text)
    masks = _masks(needle)
    full = (1 << n) - 1
    best = 0.0
    for i in range(1, n):  # windows at the start, shorter than the needle, ending with one of its characters
        if text[i - 1] in masks:
            lensum = n + i
            score = (1.0 - (lensum - 2 * _lcs(masks, full, text[:i])) / lensum) * 100
            if score > best:
                if score == 100:
                    return score
                best = score
    lensum = 2 * n
    for i in range(m - n + 1):  # windows of the needle's length, starting with one of its characters
        if text[i] in masks:
            score = (1.0 - (lensum - 2 * _lcs(masks, full, text[i : i + n])) / lensum) * 100
            if score > best:
                if score == 100:
                    return score
                best = score
    for i in range(m - n + 1, m):  # windows at the end, shorter than the needle
        if text[i] in masks:
            lensum = n + m - i
            score = (1.0 - (lensum - 2 * _lcs(masks, full, text[i:])) / lensum) * 100
            if score > best:
                if score == 100:
                    return score
                best = score
    return best
