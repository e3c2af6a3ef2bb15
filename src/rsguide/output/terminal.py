"""Drawing on a terminal: styled lines and two table layouts, without loading Rich's console.

:mod:`rsguide.output.layout` already breaks every line and chooses every column width, so what is
left is small: put the lines one under another, draw the borders and colour the headings. This
module does exactly that and writes the same characters and escape codes as Rich's ``Console`` and
``Table`` did for these layouts (``tests/test_terminal.py`` compares both on every card and table),
at a fraction of the start-up cost: Rich's console and table modules took longer to import than
the rest of ``rsguide search`` together. Display widths are Rich's (:func:`rsguide.output.layout.width`).

Two layouts: *boxed* (ASCII borders, used without colour, so that a cell's end is visible in a log
or a file) and *light* (one rule under the heading row, used on a colour terminal).
"""

from __future__ import annotations

import os

from rsguide.output.layout import width as cell_len

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: show's start-up
    from collections.abc import Sequence
    from typing import TextIO

SGR = {
    "bold": "1",
    "dim": "2",
    "bold red": "1;31",
    "bold dark_orange": "1;91",
    "bold magenta": "1;35",
    "bold cyan": "1;36",
    "bold green": "1;32",
}
"""The escape code of each style used by the views (``output.layout.TONES``, headings, notes)."""

HEADER_STYLE = "bold"
TAB_SIZE = 8

Segment = tuple[str, str]  # text, style ("" for none)


def _dumb() -> bool:
    return os.environ.get("TERM", "").lower() in ("dumb", "unknown")


def screen_width(color: bool, width: int | None) -> int:
    """The width a table or a line is laid out for: ``width`` when given, else ``COLUMNS``, else the
    terminal's (stdin, stdout, then stderr), else 80; always 80 on a dumb colour terminal."""
    if color and _dumb():
        return 80
    if width is not None:
        return width
    columns = os.environ.get("COLUMNS")
    if columns is not None and columns.isdigit():
        return int(columns)
    found = 0
    for fd in (0, 1, 2):
        try:
            found = os.get_terminal_size(fd).columns
        except (AttributeError, ValueError, OSError):
            continue
        break
    return found or 80


def expand_tabs(text: str) -> str:
    """TABs as spaces to the next multiple of 8 columns."""
    if "\t" not in text:
        return text
    out: list[str] = []
    pos = 0
    parts = text.split("\t")
    for part in parts[:-1]:
        piece = part + " "
        pos += cell_len(piece)
        extra = -pos % TAB_SIZE
        out.append(piece + " " * extra)
        pos += extra
    out.append(parts[-1])
    return "".join(out)


class Screen:
    """Lines for ``stream``, written at :meth:`flush` (or when leaving a ``with`` block)."""

    def __init__(self, stream: TextIO, *, color: bool, width: int | None = None) -> None:
        self.stream = stream
        self.color = color and not _dumb()
        self.width = screen_width(color, width)
        encoding = (getattr(stream, "encoding", "utf-8") or "utf-8").lower()
        self.ascii_only = not encoding.startswith("utf")
        self._out: list[str] = []

    def _code(self, text: str, style: str) -> str:
        if not style or not text or not self.color:
            return text
        return f"\x1b[{SGR[style]}m{text}\x1b[0m"

    def line(self, text: str = "", style: str = "") -> None:
        """``text`` as it is (never wrapped nor cut), each of its lines in ``style``."""
        for line in text.split("\n"):
            self._out.append(self._code(expand_tabs(line), style) + "\n")

    def table(self, heads: Sequence[str], widths: Sequence[int], rows: Sequence[Sequence[str]], *, boxed: bool) -> None:
        """A table whose cells are already broken into lines (``\\n``) no wider than ``widths``."""
        n = len(widths)
        pads = [(0 if i == 0 else 1) + (0 if i == n - 1 else 1) for i in range(n)]
        full = [w + p for w, p in zip(widths, pads, strict=True)]
        room = self.width - (n - 1) - (2 if boxed else 0)
        if sum(full) > room:  # wider than the screen: every column gives up its share, cells are cut
            full = _reduce(sum(full) - room, full)
            widths = [max(0, f - p) for f, p in zip(full, pads, strict=True)]
        if boxed or self.ascii_only:
            # ASCII2 (boxed, with edges) or, on a terminal that cannot show “─”, ASCII without edges
            edge, rule, cross, sep = ("|", "-", "+", "|") if boxed else ("", "-", "+", "|")
        else:
            edge, rule, cross, sep = "", "─", "─", " "
        outer = "+" if boxed else ""
        ruler: list[Segment] = [(outer + cross.join(rule * w for w in full) + outer, "")]
        lines: list[list[Segment]] = [ruler] if boxed else []
        lines += self._row(heads, widths, full, HEADER_STYLE, edge, sep, bottom=True)
        lines.append(ruler)
        for row in rows:
            lines += self._row(row, widths, full, "", edge, sep, bottom=False)
        if boxed:
            lines.append(ruler)
        for segments in lines:
            self._out.append("".join(self._code(t, s) for t, s in _crop(segments, self.width)) + "\n")

    def _row(
        self,
        cells: Sequence[str],
        widths: Sequence[int],
        full: Sequence[int],
        style: str,
        edge: str,
        sep: str,
        *,
        bottom: bool,
    ) -> list[list[Segment]]:
        n = len(widths)
        columns: list[list[list[Segment]]] = []
        for i, (cell, w) in enumerate(zip(cells, widths, strict=True)):
            left, right = (0 if i == 0 else 1), (0 if i == n - 1 else 1)
            out: list[list[Segment]] = []
            for raw in cell.split("\n"):
                text = expand_tabs(raw)
                size = cell_len(text)
                segs: list[Segment] = [(" " * left, style)] if left else []
                if size > w:
                    from rich.cells import set_cell_size

                    segs.append((set_cell_size(text, w), style))
                else:
                    segs.append((text, style))
                    if size < w:
                        segs.append((" " * (w - size), style))
                if right:
                    segs.append((" " * right, style))
                out.append(segs)
            columns.append(out)
        height = max(len(c) for c in columns)
        for c, w in zip(columns, full, strict=True):
            blank = [[(" " * w, style)]] * (height - len(c))
            c[:] = blank + c if bottom else c + blank
        result: list[list[Segment]] = []
        for k in range(height):
            segs = [(edge, "")] if edge else []
            for i, c in enumerate(columns):
                if i:
                    segs.append((sep, ""))
                segs += c[k]
            if edge:
                segs.append((edge, ""))
            result.append(segs)
        return result

    def flush(self) -> None:
        """Write what was drawn."""
        text, self._out = "".join(self._out), []
        if text:
            self.stream.write(text)


def _reduce(excess: int, widths: list[int]) -> list[int]:
    """``widths`` with ``excess`` columns taken from them in equal shares, first columns first."""
    out: list[int] = []
    left, shares = excess, len(widths)
    for w in widths:
        if w:
            take = min(w, round(left / shares))
            out.append(w - take)
            left -= take
            shares -= 1
        else:
            out.append(w)
    return out


def _crop(segments: list[Segment], limit: int) -> list[Segment]:
    """The line cut to ``limit`` columns, as a terminal table never runs past the screen's edge."""
    if sum(cell_len(t) for t, _ in segments) <= limit:
        return segments
    from rich.cells import set_cell_size

    out: list[Segment] = []
    used = 0
    for text, style in segments:
        size = cell_len(text)
        if used + size < limit:
            out.append((text, style))
            used += size
        else:
            out.append((set_cell_size(text, limit - used), style))
            break
    return out
