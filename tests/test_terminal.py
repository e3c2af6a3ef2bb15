"""The terminal drawing (:mod:`rsguide.output.terminal`) writes what Rich's Console and Table wrote
for the same lines and tables: every card, search, materials list, check and the offices table, at
several widths, with and without colour, byte for byte (escape codes included)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any, TextIO

import pytest
from rich import box
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from rsguide.output import render, terminal


class RichScreen:
    """The same interface as :class:`rsguide.output.terminal.Screen`, drawn by Rich (the oracle)."""

    def __init__(self, stream: TextIO, *, color: bool, width: int | None = None) -> None:
        self.console = Console(
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
        self.color = color
        self.width = self.console.width

    def line(self, text: str = "", style: str = "") -> None:
        if not text:
            self.console.print()
            return
        self.console.print(Text(text, style=style), soft_wrap=True)

    def table(self, heads: Sequence[str], widths: Sequence[int], rows: Sequence[Sequence[str]], *, boxed: bool) -> None:
        t = RichTable(
            box=box.ASCII2 if boxed else box.SIMPLE_HEAD, show_edge=boxed, show_lines=False, pad_edge=False, expand=False
        )
        for head, w in zip(heads, widths, strict=True):
            t.add_column(head, width=w, min_width=w, max_width=w, no_wrap=True, overflow="ignore")
        for row in rows:
            t.add_row(*row)
        self.console.print(t)

    def flush(self) -> None:
        pass


def _outputs(run: Any) -> list[list[render.Block]]:
    recorded: list[list[render.Block]] = []
    original = render.print_table

    def record(blocks: list[render.Block], stream: TextIO, *, color: bool, width: int | None = None) -> None:
        recorded.append(blocks)

    render.print_table = record  # type: ignore[assignment]
    try:
        commands = [["show", str(n), "--full"] for n in range(1, 37)]
        commands += [["show", str(n)] for n in range(1, 37)]
        commands += [["materials", str(n)] for n in range(1, 37)]
        commands += [["check", str(n)] for n in (1, 4, 14, 18, 32)]
        commands += [["search", q] for q in ("社保卡", "失业", "档案转出", "tuixiu", "医保")]
        commands += [["check", "14", "--missing", "身份证复印件"], ["offices"], ["materials", "4", "--when", "代办"]]
        for args in commands:
            run("--no-pager", *args)
    finally:
        render.print_table = original  # type: ignore[assignment]
    return recorded


@pytest.fixture(scope="module")
def outputs() -> list[list[render.Block]]:
    from rsguide.cli.fastshow import main

    def run(*args: str) -> None:
        out, err = io.StringIO(), io.StringIO()
        import contextlib

        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main(list(args))
            except SystemExit:
                pass

    return _outputs(run)


def _draw(blocks: list[render.Block], *, color: bool, width: int, oracle: bool, monkeypatch: Any) -> str:
    buf = io.StringIO()
    if oracle:
        monkeypatch.setattr(terminal, "Screen", RichScreen)
    render.print_table(blocks, buf, color=color, width=width)
    monkeypatch.setattr(terminal, "Screen", ORIGINAL_SCREEN)
    return buf.getvalue()


ORIGINAL_SCREEN = terminal.Screen


@pytest.mark.parametrize("color", [False, True])
@pytest.mark.parametrize("width", [33, 40, 60, 80, 120])
def test_same_as_rich(outputs: list[list[render.Block]], color: bool, width: int, monkeypatch: Any) -> None:
    assert len(outputs) > 100
    for blocks in outputs:
        ours = _draw(blocks, color=color, width=width, oracle=False, monkeypatch=monkeypatch)
        rich_ = _draw(blocks, color=color, width=width, oracle=True, monkeypatch=monkeypatch)
        assert ours == rich_


def test_colour_codes_are_used(outputs: list[list[render.Block]], monkeypatch: Any) -> None:
    drawn = "".join(_draw(b, color=True, width=80, oracle=False, monkeypatch=monkeypatch) for b in outputs)
    for style in ("bold", "dim", "bold red", "bold green"):
        assert f"\x1b[{terminal.SGR[style]}m" in drawn
    plain = "".join(_draw(b, color=False, width=80, oracle=False, monkeypatch=monkeypatch) for b in outputs)
    assert "\x1b" not in plain


EDGE_CASES = [
    [render.Table("表", ["a b", "原件/复印件", ""], [["x y", "", "长长长长长长长长长长长长长长长长长长长长长长长长长长"], ["", "1", "2"]])],
    [render.Fields([("时限", "即时 办结"), ("电话", "")], "标题")],
    [render.Section("禁办情形", ["", "1 不可以", "  缩进"], "warn"), render.Heading("", "")],
    [render.Table("一列", ["只有一列"], [["值"], ["第二行\n两行"]], "注")],
]
TABS = [
    [render.Table("表", ["a\tb", "原件/复印件", ""], [["x\ty", "", "长长长长长长长长长长长长长长长"], ["", "1", "2"]])],
    [render.Fields([("时限\t", "即时\t办结"), ("电话", "")], "标题\t")],
    [render.Section("禁办情形", ["", "1 不可以", "\t缩进"], "warn")],
]


@pytest.mark.parametrize("blocks", EDGE_CASES)
@pytest.mark.parametrize("color", [False, True])
@pytest.mark.parametrize("width", [24, 50, 80])
def test_edge_cases_same_as_rich(blocks: list[render.Block], color: bool, width: int, monkeypatch: Any) -> None:
    ours = _draw(blocks, color=color, width=width, oracle=False, monkeypatch=monkeypatch)
    rich_ = _draw(blocks, color=color, width=width, oracle=True, monkeypatch=monkeypatch)
    assert ours == rich_


@pytest.mark.parametrize("blocks", TABS)
@pytest.mark.parametrize("width", [24, 80])
def test_tabs_look_as_rich_drew_them(blocks: list[render.Block], width: int, monkeypatch: Any) -> None:
    # Rich cuts a styled line into pieces at each TAB; the characters and their styles are the same.
    import re

    def visible(text: str) -> str:
        return re.sub(r"\x1b\[[0-9;]*m", "", text)

    for color in (False, True):
        ours = _draw(blocks, color=color, width=width, oracle=False, monkeypatch=monkeypatch)
        rich_ = _draw(blocks, color=color, width=width, oracle=True, monkeypatch=monkeypatch)
        assert visible(ours) == visible(rich_)
        assert "\t" not in ours


@pytest.mark.parametrize(
    ("env", "expected"),
    [({"COLUMNS": "97"}, 97), ({"COLUMNS": "x"}, None), ({}, None)],
)
def test_width_is_found_as_rich_finds_it(env: dict[str, str], expected: int | None, monkeypatch: Any) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    for color in (False, True):
        ours = terminal.Screen(io.StringIO(), color=color).width
        rich_ = RichScreen(io.StringIO(), color=color).width
        assert ours == rich_
        if expected is not None:
            assert ours == expected


def test_dumb_terminal_has_no_colour_and_80_columns(monkeypatch: Any) -> None:
    monkeypatch.setenv("TERM", "unknown")
    screen = terminal.Screen(io.StringIO(), color=True, width=120)
    screen.line("标题", "bold")
    screen.flush()
    assert screen.width == 80 == RichScreen(io.StringIO(), color=True, width=120).width
    assert screen.stream.getvalue() == "标题\n"  # type: ignore[attr-defined]


def test_light_table_on_a_terminal_without_utf8_uses_ascii(monkeypatch: Any) -> None:
    class Latin1(io.StringIO):
        encoding = "latin-1"

    table = [render.Table(None, ["编号", "材料"], [["1", "身份证"]])]
    ours, theirs = Latin1(), Latin1()
    render.print_table(table, ours, color=True, width=40)
    monkeypatch.setattr(terminal, "Screen", RichScreen)
    render.print_table(table, theirs, color=True, width=40)
    assert "─" not in ours.getvalue()
    assert ours.getvalue() == theirs.getvalue()


def test_width_agrees_with_rich_everywhere() -> None:
    # The counted ranges character by character, and mixed text in and outside them.
    import random

    from rich.cells import cell_len

    from rsguide.output.layout import width

    for cp in range(0x20, 0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        assert width(chr(cp)) == cell_len(chr(cp)), hex(cp)
    rng = random.Random(7)
    alphabet = "a1 ·“”—①〇，。、：（）《》０Ａ失业登记\u00a0\u0301é😀\u200b\u3000\u303f"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert width(text) == cell_len(text), repr(text)
