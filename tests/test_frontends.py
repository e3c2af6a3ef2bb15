"""One command layer behind three front ends: the fast path, the Typer application and the
interactive session print the same answer, errors included, for the same arguments."""

from __future__ import annotations

import io

import pytest

from rsguide.cli.repl import Repl, _for_repl
from rsguide.session import Session

SAME_ARGS = [
    ["show", "4"],
    ["show", "失业登记", "--format", "plain"],
    ["show", "4", "--no-color", "-f", "json"],
    ["search", "社保卡", "-f", "csv"],
    ["search", "社保卡", "-n", "0"],
    ["search", "社保卡", "-n", "abc"],
    ["search", "社保卡", "--limit=3", "-f", "plain"],
    ["search", "量子物理"],
    ["search", "量子物理", "-f", "json"],
    ["materials", "4", "--when", "代办", "-f", "plain"],
    ["materials", "4", "--when", "外星人"],
    ["materials", "10", "--case", "转出", "--channel", "窗口办"],
    ["offices", "铁西", "-f", "plain"],
    ["offices", "--item", "14"],
    ["offices", "火星"],
    ["check", "14", "--missing", "身份证复印件", "--date", "2026-12-01", "-f", "json"],
    ["check", "18", "-s", "外省市评审的职称证书", "-f", "plain"],
    ["check", "14", "--date", "2026-13-01"],
    ["notice", "4", "--when", "代办", "-f", "plain", "--date", "2026-12-01"],
    ["stats", "-f", "json"],
    ["validate"],
    ["export", "--format", "csv", "--table", "offices"],
    ["show", "4", "-f"],
    ["show", "4", "--bogus"],
    ["show"],
    ["show", "a", "b"],
    ["show", "4", "-f", "xml"],
    ["frobnicate"],
    ["shwo", "4"],
    ["cache"],
    ["--data", "/nonexistent", "show", "4"],
    ["show", "4", "--data", "/nonexistent"],
]


@pytest.mark.parametrize("args", SAME_ARGS, ids=lambda a: " ".join(a))
def test_fast_path_and_typer_print_the_same(run, run_full, args):
    fast, full = run(*args), run_full(*args)
    assert (fast.exit_code, fast.stdout, fast.stderr) == (full.exit_code, full.stdout, full.stderr)
    assert "Traceback" not in fast.stderr and "Usage:" not in fast.stderr
    assert not any(word in fast.stderr for word in ("Error", "Option", "Missing", "Got unexpected"))


@pytest.fixture(scope="module")
def session() -> Session:
    s = Session(use_cache=False)
    s.index()
    return s


def _repl(session: Session, line: str) -> str:
    out = io.StringIO()
    repl = Repl(session, stream=out, no_color=True)
    repl.handle(line)
    return out.getvalue()


SAME_IN_REPL = [
    ("4", ["show", "4"]),
    ("4 /full", ["show", "4", "--full"]),
    ("show 缴费到账/划账", ["show", "缴费到账/划账"]),
    ("s 社保卡", ["search", "社保卡"]),
    ("m 4 /when 代办", ["materials", "4", "--when", "代办"]),
    ("m 10 /case 转出", ["materials", "10", "--case", "转出"]),
    (
        "c 14 /missing 身份证复印件 /date 2026-12-01",
        ["check", "14", "--missing", "身份证复印件", "--date", "2026-12-01"],
    ),
    ("o 14", ["offices", "--item", "14"]),
    ("o 铁西", ["offices", "铁西"]),
    ("m 4 /when 外星人", ["materials", "4", "--when", "外星人"]),
    ("量子物理", ["show", "量子物理"]),
    ("s 量子物理", ["search", "量子物理"]),
    ("c 14 /date 2026-13-01", ["check", "14", "--date", "2026-13-01"]),
]


@pytest.mark.parametrize(("line", "args"), SAME_IN_REPL, ids=lambda x: x if isinstance(x, str) else "")
def test_repl_prints_what_the_command_line_prints(session, run, monkeypatch, line, args):
    monkeypatch.setenv("COLUMNS", "80")
    cli = run(*args)
    said = _repl(session, line)
    expected_err = [_for_repl(x.removeprefix("rsguide：")) for x in cli.stderr.splitlines()]
    body = [x for x in said.splitlines() if not x.startswith(("—— 当前：", "输入序号即可查看事项"))]
    assert body == [_for_repl(x) for x in cli.stdout.splitlines()] + expected_err
