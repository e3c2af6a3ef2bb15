"""The one render layer: commands return an :class:`Output`; :func:`render` prints it as a
table (Rich), plain text, Markdown, JSON, YAML or CSV.

JSON, YAML, CSV and plain text never import Rich, so scripts stay fast.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import Any, TextIO

FORMATS = ("table", "plain", "json", "yaml", "csv", "markdown")


@dataclass
class Heading:
    """A title line (the item's 序号 and name)."""

    text: str
    subtitle: str | None = None


@dataclass
class Fields:
    """Key–value lines."""

    rows: list[tuple[str, str]]
    title: str | None = None


@dataclass
class Table:
    """A table with a title; empty cells are allowed."""

    title: str | None
    columns: list[str]
    rows: list[list[str]]
    note: str | None = None


@dataclass
class Section:
    """A titled list of paragraphs."""

    title: str
    lines: list[str]
    style: str = ""  # "warn" for 禁办 and inconsistencies, "ok" for good news


Block = Heading | Fields | Table | Section


@dataclass
class Output:
    """What a command produced: data for machines, blocks for people, one table for CSV."""

    data: Any
    blocks: list[Block] = field(default_factory=list)
    csv_columns: list[str] = field(default_factory=list)
    csv_rows: list[list[Any]] = field(default_factory=list)


def to_json(data: Any) -> str:
    """UTF-8 JSON, non-ASCII unescaped, two-space indent."""
    import json

    from rsguide.sanitize import escape_json

    return escape_json(json.dumps(data, ensure_ascii=False, indent=2))


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
                out.append(f"【{b.title}】")
            out += [f"{k}：{v}" for k, v in b.rows]
        elif isinstance(b, Table):
            if b.title:
                out.append(f"【{b.title}】")
            for row in b.rows:
                out.append(_plain_row(b.columns, row))
            if b.note:
                out.append(b.note)
        elif isinstance(b, Section):
            out.append(f"【{b.title}】")
            out += [f"- {line}" for line in b.lines]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


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
    """Rich tables and panels, aligned for Chinese text."""
    from rich import box
    from rich.console import Console
    from rich.table import Table as RichTable
    from rich.text import Text

    console = Console(
        file=stream,
        no_color=not color,
        color_system="auto" if color else None,
        force_terminal=color,
        width=width,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
        legacy_windows=False,
    )
    console.on_broken_pipe = _raise_broken_pipe  # type: ignore[method-assign]  # our handler exits 0
    blocks = clean_output(Output(None, blocks)).blocks  # no escape sequence from the data reaches the terminal
    for b in blocks:
        if isinstance(b, Heading):
            console.print(Text(b.text, style="bold"))
            if b.subtitle:
                console.print(Text(b.subtitle, style="dim"))
        elif isinstance(b, Fields):
            t = RichTable(box=None, show_header=False, title=b.title, title_justify="left", pad_edge=False)
            t.add_column(style="bold", no_wrap=True)
            t.add_column(overflow="fold")
            for k, v in b.rows:
                t.add_row(k, v)
            console.print(t)
        elif isinstance(b, Table):
            t = RichTable(
                title=b.title,
                title_justify="left",
                title_style="bold",
                box=box.SIMPLE_HEAD if color else box.ASCII2,
                show_lines=False,
                pad_edge=False,
            )
            for col in b.columns:
                t.add_column(col, overflow="fold")
            for row in b.rows:
                t.add_row(*row)
            console.print(t)
            if b.note:
                console.print(Text(b.note, style="dim"))
        elif isinstance(b, Section):
            style = {"warn": "bold red", "ok": "bold green"}.get(b.style, "bold")
            console.print(Text(f"【{b.title}】", style=style))
            for line in b.lines:
                console.print(Text(f"  {line}"))
        console.print()


def _raise_broken_pipe() -> None:
    # Rich's default exits 1 on a closed pipe; `rsguide show 4 | head -1` is normal use.
    raise BrokenPipeError


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
