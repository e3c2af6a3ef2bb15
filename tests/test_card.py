"""The compact card (``rsguide show``) and the layout of every screen at 80 and 60 columns."""

from __future__ import annotations

import io
import json
import os
import re
import sys
from pathlib import Path

import pytest

from rsguide.output.card import compact_card
from rsguide.output.layout import CLOSING, width
from rsguide.output.render import print_table, to_plain
from rsguide.output.views import item_card, offices_view

NUMBERS = list(range(1, 37))


def screen(out, cols: int, *, color: bool = False) -> list[str]:
    buf = io.StringIO()
    print_table(out.blocks, buf, color=color, width=cols)
    return buf.getvalue().rstrip("\n").split("\n")


def test_the_packaged_knowledge_base_has_36_items(kb):
    assert [i.number for i in kb.items] == NUMBERS


@pytest.mark.parametrize("number", NUMBERS)
def test_every_compact_card_fits_22_lines_at_80_columns(kb, number):
    lines = screen(compact_card(kb, kb.item(number)), 80)
    assert len(lines) <= 22, "\n".join(lines)
    assert all(width(line) <= 80 for line in lines)


# Tokens a clerk reads aloud or copies: never split across lines.
TOKEN = re.compile(
    r"https?://[A-Za-z0-9\-._~:/?#@!$&'*+,;=%]+"
    r"|0\d{3}-\d{7,8}|(?<![\d-])\d{7,8}(?![\d-])|12333"
    r"|第\d+项|《[^《》]{1,12}》"
    r"|[\u4e00-\u9fff]{2}路\d+号"
)


def _screens(kb, cols):
    for item in kb.items:
        yield f"card {item.number}", compact_card(kb, item)
        yield f"full {item.number}", item_card(kb, item)
    from rsguide.kb.offices import filter_offices

    for query in ("", "铁西", "莘英路"):
        yield f"offices {query}", offices_view(filter_offices(kb, query or None), "办事地点")


@pytest.mark.parametrize("cols", [80, 60])
def test_no_phone_url_address_or_title_is_split_and_no_line_starts_with_closing_punctuation(kb, cols):
    for name, out in _screens(kb, cols):
        lines = screen(out, cols)
        facts = set(TOKEN.findall(to_plain(out.blocks)))
        for token in facts:
            if width(token) > cols // 2:  # a long URL in a narrow column cannot stay whole
                continue
            assert any(token in line for line in lines), (name, cols, token)
        for line in lines:
            body = line.strip().lstrip("|").strip()
            assert not (body and body[0] in CLOSING), (name, cols, line)
            assert width(line) <= cols, (name, cols, line)


def test_the_compact_card_shows_what_the_window_needs(kb):
    lines = "\n".join(screen(compact_card(kb, kb.item(14)), 80))
    assert "第14项  流动人员人事档案转入" in lines
    assert "存档人员有效身份证件" in lines and "户口本" in lines
    assert "代办另需：代办人员有效身份证件" in lines
    assert "师范类、医学类：铁西区三道街81号劳动大厦院后楼综合业务窗口" in lines
    assert "其它专业类别：铁东区莘英路889号一楼综合业务窗口" in lines
    assert "时限    即时办结" in lines
    assert "容缺" in lines and "身份证复印件" in lines
    assert "办理对象与条件" not in lines  # that is for --full


def test_generic_places_keep_the_sources_words_and_list_district_windows_only_as_a_reference(kb):
    text = "\n".join(screen(compact_card(kb, kb.item(1)), 80))
    assert "rsguide offices" not in text
    assert "市、区（县）级公共就业服务机构" in text  # the source's own words, not a made-up window
    assert "县区窗口供参考：铁东区 0412-5550117" in text and "岫岩满族自治县 0412-7730588" in text
    # 辽宁省内任一失业保险业务经办窗口 is not district level: no district list is offered as its place
    text4 = "\n".join(screen(compact_card(kb, kb.item(4)), 80))
    assert "辽宁省内任一失业保险业务经办窗口" in text4 and "0412-5550117" not in text4


def test_the_fast_path_prints_the_compact_card_and_full_the_whole_one():
    from tests.conftest import run_process

    for _ in range(2):  # the second run reads the compiled store
        out = run_process("show", "14", env={"COLUMNS": "80"}).stdout.decode()
        assert "【窗口办需带的材料】" in out and "办理对象与条件" not in out
    full = run_process("show", "14", "--full", env={"COLUMNS": "80"}).stdout.decode()
    assert "办理对象与条件" in full


def test_a_consultation_phone_is_not_shown_as_the_windows_phone(kb):
    text = "\n".join(screen(compact_card(kb, kb.item(20)), 80))
    assert "0412-5580303、5596188（咨询投诉）" in text
    places = text.split("【办理地点（窗口办）】")[1].split("\n\n")[0]
    assert "5580303" not in places


def test_prohibited_cases_and_notes_are_flagged_in_words(kb):
    text = "\n".join(screen(compact_card(kb, kb.item(18)), 80))
    assert "禁办    提供外省市职称评审材料办理补发证书（不予受理）" in text
    assert "待确认" in text and "--full" in text


def test_colours_tell_prohibited_tolerated_and_unconfirmed_apart(kb):
    red = "\x1b[1;31m"
    cyan = "\x1b[1;36m"
    magenta = "\x1b[1;35m"
    card18 = "\n".join(screen(compact_card(kb, kb.item(18)), 80, color=True))
    card14 = "\n".join(screen(compact_card(kb, kb.item(14)), 80, color=True))
    assert red + "禁办" in card18 and magenta + "待确认" in card18
    assert cyan + "容缺" in card14 and red not in card14


def test_show_json_is_the_full_item_with_or_without_full(run):
    compact = json.loads(run("show", "14", "--format", "json").stdout)
    full = json.loads(run("show", "14", "--full", "--format", "json").stdout)
    assert compact == full and compact["number"] == 14 and "materials" in compact


def test_show_full_shows_todays_whole_card(run):
    compact = run("show", "14", "--format", "plain").stdout
    full = run("show", "14", "--full", "--format", "plain").stdout
    assert "办理对象与条件" in full and "办理对象与条件" not in compact
    assert "【条件】" in full and "--when）】" not in full  # headings without flags
    assert len(compact.splitlines()) < len(full.splitlines())


def test_check_verdict_is_the_first_line(run, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    out = run("--no-color", "check", "14", "--missing", "身份证复印件", "--date", "2026-12-01").stdout
    lines = out.rstrip("\n").split("\n")
    assert lines[0].startswith("【容缺受理")


# ── golden screens: what the clerk sees in an 80×24 terminal (through a pseudo-terminal) ──

GOLDEN = Path(__file__).parent / "golden"
SCREENS = {
    "screen-show-2.txt": ["show", "2"],
    "screen-show-4.txt": ["show", "4"],
    "screen-show-14.txt": ["show", "14"],
    "screen-show-18.txt": ["show", "18"],
    "screen-check-14.txt": ["check", "14", "--missing", "身份证复印件", "--date", "2026-12-01"],
}
_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][A-Z0-9]")


def _on_terminal(args: list[str]) -> tuple[str, str]:
    """Run rsguide in an 80×24 pseudo-terminal; the text on screen and the raw output."""
    pexpect = pytest.importorskip("pexpect")
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
    # PAGER=cat: the whole answer, as the pager would start showing it
    env.update(TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8", PAGER="cat")
    child = pexpect.spawn(
        sys.executable, ["-m", "rsguide", *args], dimensions=(24, 80), env=env, encoding="utf-8", timeout=60
    )
    child.expect(pexpect.EOF)
    child.close()
    raw = child.before or ""
    text = _ESCAPE.sub("", raw).replace("\r\n", "\n").replace("\r", "")
    return "\n".join(line.rstrip() for line in text.rstrip("\n").split("\n")) + "\n", raw


@pytest.mark.parametrize("name", sorted(SCREENS))
def test_golden_screens_at_80x24(name):
    text, raw = _on_terminal(SCREENS[name])
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")
    lines = text.rstrip("\n").split("\n")
    assert all(width(line) <= 80 for line in lines)
    # the answer and the shell prompt after it fit the screen: nothing scrolls out of sight
    assert len(lines) <= 23, len(lines)
    assert "\x1b[" in raw  # a terminal gets colour


def test_on_a_terminal_the_check_verdict_is_the_first_line_in_its_colour():
    text, raw = _on_terminal(SCREENS["screen-check-14.txt"])
    assert text.startswith("【容缺受理（补正截止 2026-12-22）】")
    assert "\x1b[1;36m【容缺受理" in raw


@pytest.mark.parametrize("number", [1, 2])
def test_a_guides_tolerance_not_on_the_list_is_not_read_as_permission(run, number):
    """Items 1 and 2 say 可容缺受理 in their guides but are not on the 容缺办理事项清单 (DOMAIN.md):
    the card keeps the guide's words and says the list does not carry them."""
    text = run("show", str(number), "-f", "plain").stdout
    assert "指南写“可容缺受理”，但容缺清单未列本事项" in text
    assert "【窗口办需带的材料（可容缺受理）】" not in text


def test_a_table_too_narrow_for_its_numbers_becomes_lines(run, monkeypatch):
    # At 20 or 40 columns a table would drop headings or split item numbers and phones:
    # its rows are printed as "heading  value" lines instead, every number whole.
    monkeypatch.setenv("COLUMNS", "20")
    text = run("--no-pager", "--no-color", "search", "社保卡").stdout
    assert "序号  32" in text and "事项  社会保障卡申领" in text
    monkeypatch.setenv("COLUMNS", "40")
    offices = run("--no-pager", "--no-color", "offices").stdout
    assert "电话       0412-5550117" in offices
    assert "+--" not in offices
    monkeypatch.setenv("COLUMNS", "100")
    assert "+--" in run("--no-pager", "--no-color", "offices").stdout
