"""Where a large ``items.yaml`` can be cut into parts that two processes read at once.

A cut is made at the start of a line that begins an element of the top-level ``items:`` list: the
list's own indentation, then ``- ``. Such a line can be nothing else in block YAML when the text
before it reads as a whole document ending inside that list (a block scalar or a plain scalar ends
before a line this little indented; an open quote or bracket would make the text before it fail to
read). That is checked as the parts are read (:func:`rsguide.kb.loader.read_item_part`): a cut that
is not such a line makes a part fail, and the build reads the file whole, as ever.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

_ITEMS_LINE = re.compile(rb"^items:[ \t]*(?:#[^\n]*)?\r?\n", re.MULTILINE)
_ELEMENT = re.compile(rb"^( *)- ", re.MULTILINE)
_BLOCK = 1 << 20


class Part:
    """The bytes ``start`` to ``end`` of the file; ``first_line`` is the (1-based) line at ``start``."""

    __slots__ = ("end", "first_line", "start")

    def __init__(self, start: int, end: int, first_line: int) -> None:
        self.start, self.end, self.first_line = start, end, first_line

    def __repr__(self) -> str:
        return f"Part({self.start}, {self.end}, {self.first_line})"


def cut(path: Path, part_bytes: int, head_bytes: int = 1 << 20) -> Iterator[Part]:
    """The parts of ``path``, in order, each about ``part_bytes`` long (the last one to the end of
    the file). A file whose ``items:`` line or first element is not found in its first
    ``head_bytes`` (or is not a plain block list) is one part."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        size = os.fstat(fd).st_size
        head = os.pread(fd, head_bytes, 0)
        found = _ITEMS_LINE.search(head)
        first = _first_element(head, found.end()) if found else None
        if first is None:
            yield Part(0, size, 1)
            return
        indent, first_start = first
        marker = b"\n" + b" " * indent + b"- "
        start, line = 0, 1
        while True:
            cut_at = _next_cut(fd, max(start + part_bytes, first_start + 1), size, marker)
            if cut_at is None:
                yield Part(start, size, line)
                return
            yield Part(start, cut_at, line)
            line += _count_lines(fd, start, cut_at)
            start = cut_at
    finally:
        os.close(fd)


def _first_element(head: bytes, after: int) -> tuple[int, int] | None:
    """The indentation and offset of the first line after ``after`` that is neither blank nor a
    comment, when it begins a list element (``- ``)."""
    pos = after
    while pos < len(head):
        end = head.find(b"\n", pos)
        if end < 0:
            return None
        line = head[pos:end].strip()
        if line and not line.startswith(b"#"):
            m = _ELEMENT.match(head, pos)
            return (len(m.group(1)), pos) if m else None
        pos = end + 1
    return None


def _next_cut(fd: int, at: int, size: int, marker: bytes) -> int | None:
    """The offset of the first line at or after ``at`` that starts with ``marker`` (without its
    line break), or ``None`` when there is none before the end of the file."""
    pos = at - 1  # the line break before a line starting at ``at``
    while pos < size:
        block = os.pread(fd, _BLOCK + len(marker), pos)
        if not block:
            return None
        found = block.find(marker)
        if found >= 0:
            return pos + found + 1
        pos += _BLOCK
    return None


def _count_lines(fd: int, start: int, end: int) -> int:
    """The line breaks between ``start`` and ``end`` as the YAML parser counts them (LF, CR LF, a lone
    CR, NEL, LS, PS), read a block at a time; a block is counted up to its last LF (which no CR LF pair
    or multi-byte character straddles), the rest with the next one."""
    count = 0
    pos = start
    carry = b""
    while pos < end:
        block = os.pread(fd, min(_BLOCK * 4, end - pos), pos)
        if not block:
            break
        pos += len(block)
        data = carry + block
        last = data.rfind(b"\n") + 1 if pos < end else len(data)
        count += _breaks(data[:last])
        carry = data[last:]
    return count + _breaks(carry)


def _breaks(data: bytes) -> int:
    return (
        data.count(b"\n")
        + data.count(b"\r")
        - data.count(b"\r\n")
        + data.count(b"\xc2\x85")
        + data.count(b"\xe2\x80\xa8")
        + data.count(b"\xe2\x80\xa9")
    )
