"""Characters that must never reach a terminal, a spreadsheet or a wiki page from the data.

A knowledge base may come from anyone (a colleague's zip, a shared drive). Validation refuses
control characters (:func:`find_control`); output strips any that still arrive
(:func:`clean`), so that no escape sequence can move the cursor, erase a 禁办 line, retitle the
window, plant a hidden link or write the clipboard, and no bidi override can reorder a line.

Also here: the leading quote that keeps a CSV cell from being read as a formula
(:func:`csv_cell`) and the HTML escaping of Markdown text (:func:`md_text`).
"""

from __future__ import annotations

from rsguide.lazyre import LazyPattern

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: show's start-up
    from typing import Any

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""Arabic letter mark, LRM/RLM, the embeddings and overrides (U+202A–E) and the isolates (U+2066–9)."""

_CONTROL_CLASS = "\x00-\x08\x0b-\x1f\x7f-\x9f" + BIDI_CONTROLS
_UNSAFE = LazyPattern(f"[{_CONTROL_CLASS}]")  # ≈ 0.3 ms to compile: most texts never need it (see clean)
"""Everything but TAB and LF of C0, DEL, C1 and the bidi controls."""
_UNSAFE_ONE_LINE = LazyPattern(f"[\t\n{_CONTROL_CLASS}]")  # for the knowledge-base reader only

_NAMES = {
    "\x00": "NUL",
    "\x1b": "ESC",
    "\r": "回车符 CR",
    "\t": "制表符 TAB",
    "\n": "换行符 LF",
    "\x7f": "DEL",
    "\x9b": "CSI",
    "\x9d": "OSC",
}


def describe(ch: str) -> str:
    """``U+001B（ESC）``: how an error message names a forbidden character."""
    name = _NAMES.get(ch)
    if name is None and ch in BIDI_CONTROLS:
        name = "双向文本控制符"
    return f"U+{ord(ch):04X}" + (f"（{name}）" if name else "")


def find_control(text: str, *, one_line: bool = False) -> str | None:
    """The first forbidden character of ``text`` (TAB and LF are allowed unless ``one_line``), else ``None``."""
    m = (_UNSAFE_ONE_LINE if one_line else _UNSAFE).search(text)
    return m.group() if m else None


def clean(text: str) -> str:
    """``text`` without control characters other than TAB and LF, and without bidi controls."""
    if text.isprintable():  # no control (Cc) or format (Cf) character: nothing to remove
        return text
    return _UNSAFE.sub("", text) if _UNSAFE.search(text) else text


def clean_deep(value: Any) -> Any:
    """:func:`clean` applied to every string inside lists, tuples and dicts (keys too)."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        return [clean_deep(v) for v in value]
    if isinstance(value, tuple):
        return tuple(clean_deep(v) for v in value)
    if isinstance(value, dict):
        return {clean_deep(k): clean_deep(v) for k, v in value.items()}
    return value


_JSON_UNSAFE = LazyPattern("[\x7f-\x9f" + BIDI_CONTROLS + "]")  # for JSON output only


def escape_json(text: str) -> str:
    """JSON text with DEL, C1 and bidi controls written as ``\\uXXXX`` (``json`` escapes only C0).

    These characters can only occur inside JSON strings, where the escape means the same character.
    """
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these is a formula (or becomes one) in Excel and LibreOffice."""


def csv_cell(text: str) -> str:
    """A text cell that a spreadsheet shows as text: a leading ``'`` before a formula start."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def md_text(text: str) -> str:
    """Text from the data for a Markdown page: HTML tags shown as text, never run."""
    return text.translate(_HTML)
