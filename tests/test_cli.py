"""The CLI as a user sees it: every command × every format, golden output, errors, streams."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, run_process

GOLDEN = Path(__file__).parent / "golden"

COMMANDS = {
    "show": ["show", "4"],
    "search": ["search", "社保卡"],
    "materials": ["materials", "4", "--when", "代办"],
    "offices": ["offices", "铁西"],
    "check": ["check", "14", "--missing", "身份证复印件", "--date", "2026-12-01"],
    "stats": ["stats"],
}
FORMATS = ["table", "plain", "json", "yaml", "csv", "markdown"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_in_every_format(run, command, fmt):
    result = run("--no-color", *COMMANDS[command], "--format", fmt)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.strip()
    assert "\x1b[" not in out  # no colour codes
    if fmt == "json":
        json.loads(out)
        assert "\\u" not in out  # non-ASCII unescaped
    elif fmt == "yaml":
        assert yaml.safe_load(out) is not None
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(out)))
        assert len(rows) >= 2 and all(len(r) == len(rows[0]) for r in rows)
    elif fmt == "markdown":
        assert out.startswith("#") or out.startswith("|") or out.startswith("-")


def test_show_json_keys(run):
    data = json.loads(run("show", "4", "--format", "json").stdout)
    for key in ("number", "name", "category", "materials", "paths", "time_limits", "tips", "notes"):
        assert key in data
    assert data["number"] == 4 and data["name"] == "失业保险金申领" and data["category"] == "失业保险服务事项"


def test_export_json_keys(run):
    data = json.loads(run("export", "--format", "json").stdout)
    assert {"items", "offices", "rules"} <= data.keys()
    assert len(data["items"]) == 36


def test_search_json_is_a_ranked_array(run):
    data = json.loads(run("search", "退休", "--format", "json").stdout)
    assert isinstance(data, list) and data
    assert {"number", "name", "score", "matched"} <= data[0].keys()
    assert [d["score"] for d in data] == sorted((d["score"] for d in data), reverse=True)
    assert {d["number"] for d in data[:3]} == {24, 25, 26}


@pytest.mark.parametrize("query", ["4", "第4项", "失业保险金申领", "失业金", "shiyejin", "失業金", "  失业金  "])
def test_show_resolves_many_spellings(run, query):
    result = run("show", query, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["number"] == 4


def test_ambiguous_query_lists_the_others(run):
    result = run("show", "退休", "--format", "plain")
    assert result.exit_code == 0
    assert result.stdout.startswith("第24项")
    assert "【其他可能的事项】" in result.stdout and "第25项" in result.stdout and "第26项" in result.stdout


def test_not_found_suggests_and_exits_1(run):
    result = run("show", "社保卡坏")
    assert result.exit_code in (0, 1)
    result = run("show", "量子物理学")
    assert result.exit_code == 1
    assert "本清单没有与“量子物理学”对应的事项" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_did_you_mean(run):
    result = run("show", "卡")
    assert result.exit_code == 1
    assert "您是不是要找" in result.stderr and "社会保障卡" in result.stderr


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (["show", ""], 2, "查询内容为空"),
        (["show", "   "], 2, "查询内容为空"),
        (["show", "99"], 1, "没有第99项"),
        (["show", "4", "--format", "xml"], 2, "不支持的输出格式"),
        (["show", "4", "--bogus"], 2, "没有选项"),
        (["show"], 2, "缺少参数"),
        (["frobnicate"], 2, "没有这个命令"),
        (["materials", "4", "--channel", "飞鸽"], 2, "未知的办理渠道"),
        (["materials", "5", "--channel", "网上办"], 2, "没有网上办渠道"),
        (["materials", "10", "--case", "升级"], 2, "没有办理情形"),
        (["materials", "4", "--when", "外星人"], 2, "未知的条件"),
        (["offices", "火星"], 1, "没有找到地点"),
        (["--data", "/nonexistent", "show", "4"], 3, "知识库目录不存在"),
        (["search", "--limit", "0", "社保卡"], 2, "参数"),
    ],
)
def test_error_paths(run, args, code, fragment):
    result = run(*args)
    assert result.exit_code == code, result.output
    assert fragment in result.stderr
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_materials_for_an_agent(run):
    out = run("materials", "失业保险金申领", "--when", "代办", "--format", "plain").stdout
    assert "当事人委托书（原件/复印件：原件；份数：1份；条件：代办）" in out
    assert "代办人身份证（原件/复印件：复印件；份数：1份；条件：代办；备注：正反面）" in out
    assert "视情况另需" in out and "劳动争议" in out
    data = json.loads(run("materials", "4", "--when", "代办", "--format", "json").stdout)
    assert [m["name"] for m in data["required"]] == ["本人鞍山市社会保障卡", "当事人委托书", "代办人身份证"]


def test_materials_lists_cases_and_tags(run):
    out = run("materials", "10", "--format", "plain").stdout
    assert "【需提供的材料 · 转入（请逐项核对）】" in out and "【需提供的材料 · 转出（请逐项核对）】" in out
    assert "【办理情形】" in out
    out = run("materials", "10", "--case", "转出", "--format", "plain").stdout
    assert "转入" not in out and "本人鞍山市社会保障卡" in out


def test_materials_channel_that_needs_nothing(run):
    out = run("materials", "4", "--channel", "网上", "--format", "plain").stdout
    assert "不需要提供要件" in out


def test_offices_for_an_item(run):
    out = run("offices", "--item", "14", "--format", "plain").stdout
    assert "0412-2216349" in out and "铁东区莘英路889号" in out
    data = json.loads(run("offices", "--item", "1", "--format", "json").stdout)
    assert len([o for o in data if o["kind"] == "district_window"]) == 9


def test_csv_file_for_excel_has_a_bom(run, tmp_path):
    target = tmp_path / "m.csv"
    assert run("materials", "4", "--format", "csv", "-o", str(target)).exit_code == 0
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    again = run("materials", "4", "--format", "csv", "-o", str(target))
    assert again.exit_code == 6 and "--force" in again.stderr
    assert run("materials", "4", "--format", "csv", "-o", str(target), "--force").exit_code == 0


# ── golden files: what a clerk sees at 80 columns without colour ──

GOLDEN_CASES = {
    "show-4.txt": ["show", "4"],
    "materials-4-daiban.txt": ["materials", "4", "--when", "代办"],
    "search-shebaoka.txt": ["search", "社保卡"],
    "check-14.txt": ["check", "14", "--missing", "身份证复印件", "--date", "2026-12-01"],
    "offices.txt": ["offices"],
}


@pytest.mark.parametrize("name", sorted(GOLDEN_CASES))
def test_golden(run, name, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    out = run("--no-color", *GOLDEN_CASES[name]).stdout
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(out, encoding="utf-8")
    assert out == path.read_text(encoding="utf-8")
    assert max(len(line) for line in out.splitlines()) <= 80 or all(
        sum(2 if ord(c) > 0x2E80 else 1 for c in line) <= 80 for line in out.splitlines()
    )


# ── help, docs ──


def _commands() -> list[str]:
    from typer.main import get_command

    from rsguide.cli.app import build

    group = get_command(build())
    return sorted(group.commands)  # type: ignore[attr-defined]


def test_every_command_has_help_with_an_example_and_a_readme_entry(run):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in _commands():
        result = run(name, "--help")
        assert result.exit_code == 0, name
        if name != "cache":
            assert "例：" in result.stdout, name
        assert f"rsguide {name}" in readme, f"README has no entry for rsguide {name}"


def test_readme_lists_every_exit_code():
    from rsguide.errors import ExitCode

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code in ExitCode:
        assert re.search(rf"^\|\s*{int(code)}\s*\|", readme, re.M), code


def test_version_and_module_entry():
    proc = run_process("--version")
    assert proc.returncode == 0 and proc.stdout.decode().startswith("rsguide ")


@pytest.mark.parametrize("query", ["身份证办理", "登记", "查询", "社会保障卡", "人事档案"])
def test_show_gives_no_card_when_items_tie_or_share_the_word(run, query):
    # Several items fit equally well (a material most items ask for; a word in several names):
    # a card would be one of them at random. The clerk gets the numbered candidates instead.
    result = run("show", query, "--format", "plain")
    assert result.exit_code == 1, result.stdout[:80]
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"rsguide：不能确定“{query}”指哪一项")
    assert len(lines) >= 3 and all(line.startswith("  第") for line in lines[1:])


def test_a_clear_leader_keeps_its_card_even_if_others_share_the_word(run):
    result = run("show", "退休", "--format", "plain")
    assert result.exit_code == 0 and result.stdout.startswith("第24项")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["export", "-o", ""], "文件名是空的"),
        (["export", "-o", "x.html"], "html 格式"),
        (["show", "4", "-o", "card.html"], "html 格式"),
    ],
)
def test_output_file_names_that_cannot_be_honoured_are_usage_errors(run, tmp_path, monkeypatch, args, words):
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert result.exit_code == 2 and result.stdout == ""
    assert words in result.stderr and result.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_an_explicit_format_wins_over_the_extension(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("show", "4", "-f", "json", "-o", "card.html").exit_code == 0
    assert json.loads((tmp_path / "card.html").read_text(encoding="utf-8"))["number"] == 4


def test_a_condition_that_changes_nothing_is_pointed_out(run):
    said = run("materials", "1", "--case", "解除备案", "--when", "首次备案", "-f", "plain")
    assert said.exit_code == 0
    assert "经办人注意：条件“首次备案”与窗口办、解除备案的材料无关" in said.stderr
    used = run("materials", "1", "--case", "用工备案", "--when", "首次备案", "-f", "plain")
    assert used.exit_code == 0 and "无关" not in used.stderr
