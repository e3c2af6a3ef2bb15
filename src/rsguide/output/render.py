"""The one render layer: commands return an :class:`Output`; :func:`render` prints it as a
table (drawn by :mod:`rsguide.output.terminal`), plain text, Markdown, JSON, YAML or CSV.

JSON, YAML, CSV and plain text never measure display widths, so scripts stay fast.
"""

from __future__ import annotations

import os
import re
import sys

from rsguide.lazyre import LazyPattern

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: show's start-up
    from typing import Any, TextIO

    from rsguide.output.terminal import Screen

FORMATS = ("table", "plain", "json", "yaml", "csv", "markdown")


class _Value:
    """Equality, ``repr`` and :meth:`as_dict` from ``__slots__`` (plain classes rather than
    dataclasses: ``dataclasses`` and what it imports would double the start-up of ``show``)."""

    __slots__: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The fields by name, in declaration order."""
        return {name: getattr(self, name) for name in self.__slots__}

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self.as_dict() == other.as_dict()

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclasses they replace

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.as_dict().items())})"


class Heading(_Value):
    """A title line (the item's 序号 and name)."""

    __slots__ = ("text", "subtitle")  # noqa: RUF023  (declaration order: repr, as_dict)

    def __init__(self, text: str, subtitle: str | None = None) -> None:
        self.text = text
        self.subtitle = subtitle


class Fields(_Value):
    """Key–value lines."""

    __slots__ = ("rows", "title")

    def __init__(self, rows: list[tuple[str, str]], title: str | None = None) -> None:
        self.rows = rows
        self.title = title


class Table(_Value):
    """A table with a title; empty cells are allowed."""

    __slots__ = ("title", "columns", "rows", "note")  # noqa: RUF023  (declaration order: repr, as_dict)

    def __init__(self, title: str | None, columns: list[str], rows: list[list[str]], note: str | None = None) -> None:
        self.title = title
        self.columns = columns
        self.rows = rows
        self.note = note


class Section(_Value):
    """A titled list of paragraphs."""

    __slots__ = ("title", "lines", "style")  # noqa: RUF023  (declaration order: repr, as_dict)

    def __init__(self, title: str, lines: list[str], style: str = "") -> None:
        self.title = title
        self.lines = lines
        self.style = style  # "warn" for 禁办 and inconsistencies, "ok" for good news


Block = Heading | Fields | Table | Section


class Output(_Value):
    """What a command produced: data for machines, blocks for people, one table for CSV."""

    __slots__ = ("data", "blocks", "csv_columns", "csv_rows")  # noqa: RUF023  (declaration order: repr, as_dict)

    def __init__(
        self,
        data: Any,
        blocks: list[Block] | None = None,
        csv_columns: list[str] | None = None,
        csv_rows: list[list[Any]] | None = None,
    ) -> None:
        self.data = data
        self.blocks: list[Block] = [] if blocks is None else blocks
        self.csv_columns: list[str] = [] if csv_columns is None else csv_columns
        self.csv_rows: list[list[Any]] = [] if csv_rows is None else csv_rows


def to_json(data: Any) -> str:
    """UTF-8 JSON, non-ASCII unescaped, two-space indent."""
    from rsguide.sanitize import escape_json

    try:
        text = _indented(data)
    except _Unusual:  # a float, a non-text key …: the standard library's encoder says it
        import json

        text = json.dumps(data, ensure_ascii=False, indent=2)
    return escape_json(text)


class _Unusual(Exception):
    pass


def _indented(data: Any) -> str:
    """``json.dumps(data, ensure_ascii=False, indent=2)`` for text, integers, booleans, ``None``,
    lists, tuples and mappings with text keys, in one recursive pass (the standard library's
    encoder with an indent is pure-Python generators, which dominates building 100,000 cards);
    :class:`_Unusual` for anything else."""
    from json.encoder import encode_basestring

    out: list[str] = []
    _dump(data, "", out.append, encode_basestring)
    return "".join(out)


def _dump(value: Any, indent: str, append: Any, encode_basestring: Any) -> None:
    """One value of :func:`_indented` (a plain function, not a closure: the build of a store runs
    with the garbage collector off, and a closure that refers to itself would never be freed)."""
    cls = value.__class__
    if cls is str:
        append(encode_basestring(value))
    elif value is None:
        append("null")
    elif value is True:
        append("true")
    elif value is False:
        append("false")
    elif cls is int:
        append(int.__repr__(value))
    elif cls is dict:
        if not value:
            append("{}")
            return
        inner = indent + "  "
        first = True
        for key, item in value.items():
            if key.__class__ is not str:
                raise _Unusual
            if item.__class__ is str:
                append(("{\n" if first else ",\n") + inner + encode_basestring(key) + ": " + encode_basestring(item))
            else:
                append(("{\n" if first else ",\n") + inner + encode_basestring(key) + ": ")
                _dump(item, inner, append, encode_basestring)
            first = False
        append("\n" + indent + "}")
    elif cls is list or cls is tuple:
        if not value:
            append("[]")
            return
        inner = indent + "  "
        first = True
        for item in value:
            if item.__class__ is str:
                append(("[\n" if first else ",\n") + inner + encode_basestring(item))
            else:
                append(("[\n" if first else ",\n") + inner)
                _dump(item, inner, append, encode_basestring)
            first = False
        append("\n" + indent + "]")
    else:
        raise _Unusual


def to_yaml(data: Any) -> str:
    """Block-style YAML keeping Chinese readable."""
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1000)


def to_csv(columns: list[str], rows: list[list[Any]]) -> str:
    """CSV text (the BOM for Excel is added when writing a file)."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else _cell(v) for v in row])
    return buf.getvalue()


def _cell(value: Any) -> str:
    # Text that a spreadsheet would read as a formula (=, +, -, @, TAB, CR first) gets a leading '.
    from rsguide.sanitize import clean, csv_cell

    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return csv_cell(clean("；".join(str(v) for v in value)))
    return csv_cell(clean(str(value)))


def to_plain(blocks: list[Block]) -> str:
    """Plain text: no colour, no box drawing; one fact per line."""
    out: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            out.append(b.text)
            if b.subtitle:
                out.append(b.subtitle)
        elif isinstance(b, Fields):
            if b.title:
                out.append(f"【{clean_title(b.title)}】")
            out += [f"{k}：{v}" for k, v in b.rows]
        elif isinstance(b, Table):
            if b.title:
                out.append(f"【{clean_title(b.title)}】")
            from rsguide.output.layout import dedupe_columns

            columns, rows = dedupe_columns(list(b.columns), [list(r) for r in b.rows])
            for row in rows:
                out.append(_plain_row(columns, row))
            if b.note:
                out.append(b.note)
        elif isinstance(b, Section):
            out.append(f"【{clean_title(b.title)}】")
            out += [f"- {line}" for line in b.lines]
        out.append("")
    return "\n".join(out).rstrip("\n").replace("\u00a0", " ") + "\n"


def _plain_row(columns: list[str], row: list[str]) -> str:
    # "1 劳动合同（原件/复印件：原件；备注：不留存）": the first two cells, then the rest labelled.
    head = " ".join(c.replace("\n", " ") for c in row[:2] if c)
    rest = [f"{col}：{c}".replace("\n", "；") for col, c in zip(columns[2:], row[2:], strict=False) if c]
    return head + (f"（{'；'.join(rest)}）" if rest else "")


def _md_escape(text: str) -> str:
    return _md(text).replace("|", "\\|").replace("\n", "<br>")


def _md(text: str) -> str:
    from rsguide.sanitize import md_text

    return md_text(text)


def to_markdown(blocks: list[Block]) -> str:
    """GitHub-flavoured Markdown."""
    out: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            out.append(f"## {_md(b.text)}")
            if b.subtitle:
                out += ["", _md(b.subtitle)]
        elif isinstance(b, Fields):
            if b.title:
                out += [f"### {_md(b.title)}", ""]
            out += [f"- **{_md(k)}**：{_md(v)}" for k, v in b.rows]
        elif isinstance(b, Table):
            if b.title:
                out += [f"### {_md(b.title)}", ""]
            out.append("| " + " | ".join(_md_escape(c) for c in b.columns) + " |")
            out.append("|" + "---|" * len(b.columns))
            out += ["| " + " | ".join(_md_escape(c) for c in row) + " |" for row in b.rows]
            if b.note:
                out += ["", _md(b.note)]
        elif isinstance(b, Section):
            out += [f"### {_md(b.title)}", ""]
            out += [f"- {_md(line)}" for line in b.lines]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def use_color(stream: TextIO, no_color: bool) -> bool:
    """Colour only on a terminal, never with ``--no-color``, ``NO_COLOR`` or ``TERM=dumb``."""
    if no_color or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def print_table(blocks: list[Block], stream: TextIO, *, color: bool, width: int | None = None) -> None:
    """Tables and headings, laid out for Chinese by :mod:`rsguide.output.layout` and drawn by
    :mod:`rsguide.output.terminal`.

    Every text is wrapped here, so that no phone number, URL, address number, item number or
    《material name》 is split and no line starts with closing punctuation.
    """
    from rsguide.output import layout
    from rsguide.output.terminal import Screen

    screen = Screen(stream, color=color, width=width)
    blocks = clean_output(Output(None, blocks)).blocks  # no escape sequence from the data reaches the terminal
    cols = max(20, screen.width)

    def say(text: str, style: str = "") -> None:
        for line in text.replace(layout.NBSP, " ").split("\n"):
            screen.line(line, style)

    headline: str | None = None
    for n, b in enumerate(blocks):
        if n:
            screen.line()  # a blank line between blocks, none after the last: the prompt follows
        if isinstance(b, Heading):
            say(layout.fill(b.text, cols), "bold")
            if b.subtitle:
                say(layout.fill(b.subtitle, cols), "dim")
        elif isinstance(b, Fields):
            if b.title:
                say(layout.fill(f"【{clean_title(b.title)}】", cols), "bold")
            _print_fields(screen, b.rows, cols)
        elif isinstance(b, Table):
            _print_grid(screen, b, cols)
        elif isinstance(b, Section):
            name = layout.tone(b.title, b.style, headline)
            if headline is None and name in ("prohibited", "incomplete", "unconfirmed", "tolerated"):
                headline = name  # the answer's verdict: later warnings without telling words take its colour
            say(layout.fill(f"【{clean_title(b.title)}】", cols), layout.TONES[name])
            for line in b.lines:
                say(layout.fill(line, cols, first="  ", indent="  " + " " * _hang(line)))
    screen.flush()


_MARKER = LazyPattern(r"(?:\d{1,2} |[-•·] |[\u2460-\u2473\u3251-\u325f])")


def _hang(line: str) -> int:
    # Continuation lines of “1 材料……” or “①材料……” start under the text; of other paragraphs, 2 further in.
    m = _MARKER.match(line)
    from rsguide.output.layout import width

    return width(m.group()) if m else 2


_FLAG_NOTE = LazyPattern(r"[（(][^（）()]*(?:--|(?<![\w/])/)[a-z][a-z-]*[^（）()]*[）)]")


def clean_title(title: str) -> str:
    """A heading without command-line flags in it: “条件（--when）”, “视情况另需（用 /when 指定）” → “条件”, “视情况另需”."""
    return _FLAG_NOTE.sub("", title).strip() or title


def _print_fields(screen: Screen, rows: list[tuple[str, str]], cols: int) -> None:
    from rsguide.output import layout

    if not rows:
        return
    key_w = min(max(layout.width(k) for k, _ in rows), cols // 3)
    for key, value in rows:
        head = key + " " * max(2, key_w + 2 - layout.width(key))
        lines = layout.wrap(value, cols, first=" " * layout.width(head), indent=" " * (key_w + 2))
        style = layout.TONES[layout.tone(key)] if layout.tone(key) != "plain" else "bold"
        screen.line(head + lines[0][layout.width(head) :].replace(layout.NBSP, " "), style)
        for line in lines[1:]:
            screen.line(line.replace(layout.NBSP, " "))


def _overhead(n: int, boxed: bool) -> int:
    # The columns taken by borders and padding of an n-column table: a space each side of every
    # inner border (none at the outer edges), plus the borders themselves.
    return 2 * (n - 1) + (n - 1) + (2 if boxed else 0)


SHORT_ATOM = 20
"""A phone number, an item number, a date: pieces this wide or less are never split in a table; where
a table cannot keep them whole (a narrow screen), its rows are printed as lines instead."""


def _widths(columns: list[str], rows: list[list[str]], available: int) -> tuple[list[int], bool, bool]:
    """Column widths within ``available``; whether every unbreakable piece fits; and whether the table
    is still legible (every heading shown, no piece of at most :data:`SHORT_ATOM` columns split)."""
    from rsguide.output import layout
    cells = [columns, *rows]
    natural = [max(layout.width(line) for r in cells for line in r[i].split("\n")) for i in range(len(columns))]
    heads = [layout.width(c) for c in columns]
    # a heading may wrap after “/” (原件/ 复印件) before any content is split
    soft_heads = [max(layout.width(p) for p in re.split(r"(?<=/)", c)) for c in columns]
    longest = [max(layout.longest_atom(r[i]) for r in rows) for i in range(len(columns))]
    content = [  # a whole phone number or URL, as long as the other columns keep their headings
        min(available - sum(soft_heads) + soft_heads[i], longest[i]) for i in range(len(columns))
    ]
    minimum = [max(h, c) for h, c in zip(heads, content, strict=True)]
    soft = [max(h, c) for h, c in zip(soft_heads, content, strict=True)]
    widths = layout.column_widths(natural, minimum, available, soft)
    whole = all(w >= min(n, lg) for w, n, lg in zip(widths, natural, longest, strict=True))
    legible = all(w >= max(h, min(lg, SHORT_ATOM)) for w, h, lg in zip(widths, soft_heads, longest, strict=True))
    return widths, whole, legible


def _fill_head(head: str, w: int) -> str:
    # “原件/复印件” in a narrow column: “原件/” above “复印件”.
    from rsguide.output import layout
    parts = re.split(r"(?<=/)", head)
    if layout.width(head) > w and len(parts) > 1 and all(layout.width(p) <= w for p in parts):
        return "\n".join(parts)
    return layout.fill(head, w)


def _print_grid(screen: Screen, b: Table, cols: int) -> None:
    from rsguide.output import layout

    columns, rows = layout.dedupe_columns(list(b.columns), [list(r) for r in b.rows])
    if b.title:
        screen.line(layout.fill(f"【{clean_title(b.title)}】", cols), "bold")
    if columns:
        # Without colour, ASCII borders show where a cell ends; the lighter layout is used on a
        # terminal, and wherever borders would leave too little room to keep numbers whole.
        boxed = not screen.color
        widths, whole, legible = _widths(columns, rows, cols - _overhead(len(columns), boxed))
        if boxed and not whole:
            boxed = False
            widths, whole, legible = _widths(columns, rows, cols - _overhead(len(columns), boxed))
        if not whole and not legible:
            _print_rows(screen, columns, rows, cols)  # too narrow for a table: one block of lines per row
        else:
            heads = [_fill_head(c, w) for c, w in zip(columns, widths, strict=True)]
            cells = [[layout.fill(c, w).replace(layout.NBSP, " ") for c, w in zip(row, widths, strict=True)] for row in rows]
            screen.table(heads, widths, cells, boxed=boxed)
    if b.note:
        for line in layout.wrap(b.note, cols):
            screen.line(line, "dim")


def _print_rows(screen: Screen, columns: list[str], rows: list[list[str]], cols: int) -> None:
    """A table as lines: each row's filled cells as “heading  value”, rows apart by a blank line."""
    for n, row in enumerate(rows):
        if n:
            screen.line()
        _print_fields(screen, [(c.replace("\n", ""), v) for c, v in zip(columns, row, strict=True) if v], cols)


def clean_output(out: Output) -> Output:
    """``out`` without control characters or bidi controls in any text (:mod:`rsguide.sanitize`):
    the data was validated, but a query echoed back or a cached value may still carry them."""
    from rsguide.sanitize import clean_deep

    blocks: list[Block] = []
    for b in out.blocks:
        if isinstance(b, Heading):
            blocks.append(Heading(clean_deep(b.text), clean_deep(b.subtitle)))
        elif isinstance(b, Fields):
            blocks.append(Fields(clean_deep(b.rows), clean_deep(b.title)))
        elif isinstance(b, Table):
            blocks.append(Table(clean_deep(b.title), clean_deep(b.columns), clean_deep(b.rows), clean_deep(b.note)))
        else:
            blocks.append(Section(clean_deep(b.title), clean_deep(b.lines), b.style))
    return Output(clean_deep(out.data), blocks, clean_deep(out.csv_columns), clean_deep(out.csv_rows))


def render(out: Output, fmt: str, *, stream: TextIO | None = None, no_color: bool = False) -> None:
    """Print ``out`` in format ``fmt`` to ``stream`` (stdout by default)."""
    stream = stream or sys.stdout
    if fmt != "json":  # JSON escapes them itself (to_json)
        out = clean_output(out)
    if fmt == "json":
        stream.write(to_json(out.data) + "\n")
    elif fmt == "yaml":
        stream.write(to_yaml(out.data))
    elif fmt == "csv":
        stream.write(to_csv(out.csv_columns, out.csv_rows))
    elif fmt == "plain":
        stream.write(to_plain(out.blocks))
    elif fmt == "markdown":
        stream.write(to_markdown(out.blocks))
    else:
        print_table(out.blocks, stream, color=use_color(stream, no_color))


def text_of(out: Output, fmt: str) -> str:
    """The output as text, for writing to a file (tables are written as plain text)."""
    if fmt != "json":
        out = clean_output(out)
    if fmt == "json":
        return to_json(out.data) + "\n"
    if fmt == "yaml":
        return to_yaml(out.data)
    if fmt == "csv":
        return to_csv(out.csv_columns, out.csv_rows)
    if fmt == "markdown":
        return to_markdown(out.blocks)
    return to_plain(out.blocks)
