"""QR codes on the papers: the checklist as text, so the citizen keeps it on the phone.

The code carries UTF-8 text in byte mode (what phone scanners and WeChat read); :func:`qr_svg`
gives an inline SVG for the HTML pages, :func:`qr_code` the :class:`segno.QRCode` itself (tests
render it to PNG and decode it back).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

QR_MAX_BYTES = 1200
"""Longer texts are cut (and say so): a denser code no longer scans reliably from paper."""
_CUT = "\n……（其余内容见纸质告知单）"


def fit_text(text: str, limit: int = QR_MAX_BYTES) -> str:
    """``text`` as it goes into the code: whole lines up to ``limit`` UTF-8 bytes, then a marker."""
    if len(text.encode("utf-8")) <= limit:
        return text
    budget = limit - len(_CUT.encode("utf-8"))
    kept: list[str] = []
    used = 0
    for line in text.split("\n"):
        size = len(line.encode("utf-8")) + 1
        if used + size > budget:
            break
        kept.append(line)
        used += size
    return "\n".join(kept) + _CUT


@lru_cache(maxsize=64)
def qr_code(text: str) -> Any:
    """The QR code of ``text`` (error correction L, byte mode, UTF-8)."""
    import segno

    return segno.make_qr(text, error="l", mode="byte", encoding="utf-8", boost_error=False)


def qr_svg(text: str, *, title: str = "二维码") -> str:
    """An inline ``<svg>`` of the code of ``text``, sized by CSS (class ``qr``)."""
    code = qr_code(text)
    svg: str = code.svg_inline(scale=1, border=2, omitsize=True, svgclass="qr", lineclass=None, title=title)
    return re.sub(r"\s+", " ", svg).strip()
