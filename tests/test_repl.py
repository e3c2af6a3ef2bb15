"""The interactive session: driven through prompt_toolkit's pipe input, through stdin as a pipe,
and (where pexpect is installed) in a real pseudo-terminal."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document
from prompt_toolkit.history import InMemoryHistory
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from rsguide.cli.repl import make_completer, make_history, parse_line, run_repl
from rsguide.errors import UsageError
from rsguide.session import Session

ROOT = Path(__file__).resolve().parent.parent
PASTE = "\x1b[200~" + "失业" * 5000 + "\x1b[201~"  # a bracketed paste of 10,000 characters


@pytest.fixture(scope="module")
def session() -> Session:
    s = Session(use_cache=False)
    s.index()
    return s


@pytest.fixture(autouse=True)
def history_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "history"
    monkeypatch.setenv("RSGUIDE_HISTORY", str(path))
    return path


def drive(session: Session, keys: str, *, close: bool = False) -> tuple[int, str]:
    """Type ``keys`` into the session (``\\r`` is Enter); returns the exit code and what it printed."""
    out = io.StringIO()
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        if close:
            pipe.close()
        code = run_repl(session, no_color=True, input=pipe, output=DummyOutput(), stream=out)
    return code, out.getvalue()


# ── through prompt_toolkit ──


def test_name_query_shows_the_card(session: Session) -> None:
    code, out = drive(session, "失业保险金申领\rq\r")
    assert code == 0
    assert "第4项  失业保险金申领" in out
    assert "办理地点" in out and "时限" in out


def test_colloquial_and_pinyin_queries(session: Session) -> None:
    code, out = drive(session, "社保卡丢了\rsydj\rq\r")
    assert code == 0
    assert "社会保障卡挂失" in out
    assert "第2项  失业登记" in out


def test_materials_with_condition_lists_the_power_of_attorney(session: Session) -> None:
    code, out = drive(session, "m 4 /when 代办\rq\r")
    assert code == 0
    assert "当事人委托书" in out
    assert "代办人身份证" in out


def test_commands_reuse_the_item_shown_last(session: Session) -> None:
    code, out = drive(session, "4\rm -w 代办\rq\r")
    assert code == 0
    assert "当事人委托书" in out


def test_unknown_query_says_not_found_and_the_session_continues(session: Session) -> None:
    code, out = drive(session, "zzqqxx不存在的事项\r4\rq\r")
    assert code == 0
    assert "本清单没有与" in out
    assert "第4项  失业保险金申领" in out  # answered after the miss


def test_empty_lines_and_a_paste_of_10000_characters(session: Session) -> None:
    code, out = drive(session, "\r   \r" + PASTE + "\r" + "4\rq\r")
    assert code == 0
    assert "出错了" not in out
    assert "第4项  失业保险金申领" in out


def test_ten_thousand_characters_typed_without_bracketed_paste(session: Session) -> None:
    code, out = drive(session, "社" * 10_000 + "\rq\r")
    assert code == 0
    assert "出错了" not in out


def test_every_command_and_a_domain_error(session: Session) -> None:
    keys = (
        "o\ro 铁西\ro 14\rs 社保卡\rc 14 /missing 身份证复印件 /date 2026-12-01\r"
        "n 18 /date 2026-12-01\rm 10 /case 不存在\rm 4 /foo\r?\rq\r"
    )
    code, out = drive(session, keys)
    assert code == 0
    assert "铁西区人力资源就业服务中心" in out  # o 铁西
    assert "劳动大厦院后楼" in out  # o 14
    assert "社会保障卡申领" in out  # s
    assert "容缺受理" in out and "2026-12-22" in out  # c
    assert "一次性告知单" in out and "不予办理" in out  # n 18
    assert "没有办理情形“不存在”" in out  # m /case
    assert "未知的选项“/foo”" in out
    assert "/case" in out and "命令" in out  # ?
    assert "出错了" not in out


def test_q_exit_and_ctrl_d_end_with_0(session: Session) -> None:
    assert drive(session, "exit\r")[0] == 0
    assert drive(session, "退出\r")[0] == 0
    assert drive(session, "\x04")[0] == 0  # Ctrl-D on an empty line


def test_ctrl_c_clears_the_line(session: Session) -> None:
    code, out = drive(session, "zzqqxx\x03" + "4\rq\r")
    assert code == 0
    assert "zzqqxx" not in out
    assert "第4项" in out


def test_closed_input_ends_cleanly(session: Session) -> None:
    code, out = drive(session, "4\r", close=True)
    assert code == 0
    assert "第4项" in out


def test_an_unexpected_exception_prints_one_line_and_the_session_continues(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rsguide.output.views

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("模拟故障\n第二行")

    monkeypatch.setattr(rsguide.output.views, "search_results", boom)
    code, out = drive(session, "s 社保卡\r4\rq\r")
    assert code == 0
    lines = [line for line in out.splitlines() if "出错了" in line]
    assert len(lines) == 1 and "RuntimeError" in lines[0] and "第二行" in lines[0]
    assert "第4项" in out


def test_history_is_kept_between_sessions(session: Session, history_file: Path) -> None:
    drive(session, "失业登记\r\x04")
    assert "失业登记" in history_file.read_text(encoding="utf-8")
    code, out = drive(session, "\x1b[A\rq\r")  # a new session; Up, Enter: the last line again
    assert code == 0
    assert "第2项  失业登记" in out
    drive(session, PASTE + "\rq\r")
    longest = max(len(line) for line in history_file.read_text(encoding="utf-8").splitlines())
    assert longest <= 501  # "+" and at most 500 characters


def test_unwritable_history_falls_back_to_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("RSGUIDE_HISTORY", str(blocker / "history"))
    history, problem = make_history()
    assert isinstance(history, InMemoryHistory)
    assert problem and "历史记录" in problem


def test_unwritable_history_does_not_stop_the_session(session: Session, tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("RSGUIDE_HISTORY", str(blocker / "history"))
    code, out = drive(session, "4\rq\r")
    assert code == 0
    assert "历史记录无法保存" in out and "第4项" in out


# ── without a terminal ──


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_piped_stdin_answers_each_line_and_ends_at_eof(session: Session, monkeypatch) -> None:
    _stdin(monkeypatch, "失业金\n\nm 4 /when 代办\nzzqqxx不存在\n".encode())
    out = io.StringIO()
    assert run_repl(session, no_color=True, stream=out) == 0
    text = out.getvalue()
    assert "第4项  失业保险金申领" in text
    assert "当事人委托书" in text
    assert "本清单没有与" in text


def test_piped_stdin_with_a_long_line_and_bad_bytes(session: Session, monkeypatch) -> None:
    _stdin(monkeypatch, ("失" * 10_000 + "\n").encode() + b"\xff\xfe\n4\nq\nnot reached\n")
    out = io.StringIO()
    assert run_repl(session, no_color=True, stream=out) == 0
    assert "第4项" in out.getvalue()
    assert "not reached" not in out.getvalue()


def test_closed_or_missing_stdin_ends_cleanly(session: Session, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", None)
    assert run_repl(session, no_color=True, stream=io.StringIO()) == 0
    closed = io.TextIOWrapper(io.BytesIO(b"4\n"), encoding="utf-8")
    closed.close()
    monkeypatch.setattr(sys, "stdin", closed)
    assert run_repl(session, no_color=True, stream=io.StringIO()) == 0


# ── parsing and completion ──


def test_parse_line() -> None:
    assert parse_line("   ") is None
    cmd = parse_line("m 4 /when 代办、劳动争议 /case 转出")
    assert cmd is not None and (cmd.name, cmd.query) == ("m", "4")
    assert cmd.options == {"when": ["代办", "劳动争议"], "case": "转出"}
    cmd = parse_line("c 14 -m 身份证复印件 --situation 证书 信息 /date 2026-12-01")
    assert cmd is not None
    assert cmd.options == {"missing": ["身份证复印件"], "situation": ["证书", "信息"], "date": "2026-12-01"}
    cmd = parse_line("n 4 /when代办 /o /tmp/告知单.html")
    assert cmd is not None and cmd.options == {"when": ["代办"], "output": "/tmp/告知单.html"}
    cmd = parse_line("失业 登记")
    assert cmd is not None and (cmd.name, cmd.query) == ("show", "失业 登记")
    cmd = parse_line("？")
    assert cmd is not None and cmd.name == "?"
    cmd = parse_line("q 4")  # not a way out
    assert cmd is not None and (cmd.name, cmd.query) == ("show", "q 4")
    with pytest.raises(UsageError):
        parse_line("m 4 /date 2026-12-01")  # m has no /date
    with pytest.raises(UsageError):
        parse_line("m 4 /when")  # no value


def _completions(session: Session, text: str) -> list[tuple[str, str]]:
    completer = make_completer(session, lambda: 4)
    found = completer.get_completions(Document(text), CompleteEvent(text_inserted=True))
    return [(c.text, c.display_meta_text) for c in found]


def test_completion_over_names_aliases_and_pinyin(session: Session) -> None:
    by_pinyin = _completions(session, "sbk")
    assert any(text == "社会保障卡申领" and "第32项" in meta for text, meta in by_pinyin)
    assert len(by_pinyin) <= 8
    assert any(text == "失业保险金申领" for text, _ in _completions(session, "m shiyejin"))
    assert any(text == "就业登记（用工备案）" for text, _ in _completions(session, "用工备案"))
    assert any(text.startswith("help") for text, _ in _completions(session, "he"))
    assert [t for t, _ in _completions(session, "m 10 /ca")] == ["/case "]
    assert {t for t, _ in _completions(session, "m 10 /case ")} == {"转入", "转出"}
    assert {t for t, _ in _completions(session, "m /when ")} == {"劳动争议", "代办"}  # the current item, 4
    assert _completions(session, "") == []
    assert _completions(session, "失" * 10_000) == []


# ── in a pseudo-terminal ──


def test_in_a_pseudo_terminal(history_file: Path) -> None:
    pexpect = pytest.importorskip("pexpect", reason="pexpect 未安装：pip install pexpect")
    env = dict(os.environ, PAGER="cat", PROMPT_TOOLKIT_NO_CPR="1", RSGUIDE_HISTORY=str(history_file), COLUMNS="80", LINES="24")
    env.pop("NO_COLOR", None)
    child = pexpect.spawn(
        sys.executable, ["-m", "rsguide", "repl"], dimensions=(24, 80), encoding="utf-8", timeout=20, cwd=ROOT, env=env
    )
    try:
        child.expect("查询>")
        child.send("失业金\r")
        child.expect("失业保险金申领")
        child.expect("查询>")
        child.send("m 4 /when 代办\r")
        child.expect("委托书")
        child.expect("查询>")
        child.send("zzqqxx不存在\r")
        child.expect("本清单没有与")
        child.expect("查询>")
        child.send("\r")
        child.expect("查询>")
        child.send("q\r")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0


def test_ctrl_d_in_a_pseudo_terminal(history_file: Path) -> None:
    pexpect = pytest.importorskip("pexpect", reason="pexpect 未安装：pip install pexpect")
    env = dict(os.environ, PROMPT_TOOLKIT_NO_CPR="1", RSGUIDE_HISTORY=str(history_file))
    child = pexpect.spawn(
        sys.executable, ["-m", "rsguide"], dimensions=(24, 80), encoding="utf-8", timeout=20, cwd=ROOT, env=env
    )
    try:
        child.expect("查询>")  # bare rsguide on a terminal opens the session
        child.sendcontrol("d")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0


def test_full_card_and_all_channels_are_different_options() -> None:
    cmd = parse_line("m 4 /全部")
    assert cmd is not None and cmd.options == {"all_channels": True}
    for line in ("4 /full", "失业金 /完整", "show 4 /full"):
        cmd = parse_line(line)
        assert cmd is not None and cmd.name == "show" and cmd.options == {"full": True}, line
    cmd = parse_line("缴费到账/划账")
    assert cmd is not None and (cmd.query, cmd.options) == ("缴费到账/划账", {})


def test_the_session_reads_through_the_store_and_never_loads_the_whole_knowledge_base(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A province's knowledge base is not decoded whole for the first answer, nor for the commands
    after it: search, card, check (its 禁办 questions too), materials and notice read rows."""

    def whole(*_args: object) -> None:
        raise AssertionError("the whole knowledge base was loaded")

    s = Session()  # with the compiled store (the tests' isolated cache)
    s.index()
    monkeypatch.setattr(Session, "kb", property(whole))
    monkeypatch.setattr("rsguide.kb.store.Store.knowledge_base", whole)
    keys = "社保卡补领\r失业金\rc 4\r否\r否\r否\rc 14 /missing 身份证复印件 /date 2026-12-01\rm 4 /when 代办\rn 18 /date 2026-12-01\rq\r"
    code, out = drive(s, keys)
    assert code == 0
    assert "社会保障卡补领" in out and "第4项  失业保险金申领" in out
    assert "容缺受理" in out and "2026-12-22" in out
    assert "当事人委托书" in out and "一次性告知单" in out
    assert "出错了" not in out


# ── tester2's findings: /full after a card, the status bar during a 禁办 question ──


def test_full_alone_after_a_card_shows_the_whole_card_of_that_item(session: Session) -> None:
    code, out = drive(session, "14\r/full\r/完整\rq\r")
    assert code == 0
    assert "加 /full 显示全部信息" in out  # what the card tells the clerk to type
    assert "请写上事项" not in out
    assert out.count("【办理对象与条件】") == 2  # the whole card, twice
    assert out.count("第14项  流动人员人事档案转入") == 3


def test_full_alone_without_a_current_item_still_asks_for_one(session: Session) -> None:
    code, out = drive(session, "/full\rq\r")
    assert code == 0
    assert "请写上事项" in out


def test_status_bar_names_the_item_whose_prohibition_question_is_asked(session: Session) -> None:
    from rsguide.cli.repl import Repl

    repl = Repl(session, stream=io.StringIO(), no_color=True)
    repl.handle("14")
    assert repl.status() == "当前：第14项 流动人员人事档案转入"
    repl.handle("c 18")
    assert "禁办3" in repl.stream.getvalue()  # type: ignore[attr-defined]
    assert repl.status() == "核对中：第18项 职称证书补发"
    repl.handle("否")  # the answer: the verdict of item 18, which stays current
    assert repl.pending is None
    assert repl.status() == "当前：第18项 职称证书补发"
