"""Help, errors and completion in Chinese, laid out by display width at 80 columns."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from rsguide.cli.spec import COMMANDS, GROUPS
from tests.conftest import run_process

ENGLISH = re.compile(r"Usage|Options|Commands|Arguments|Show this message|Install completion|\[required\]|\[default|<str>|<int")
PAGES = [[], *([name] for name in GROUPS), *(name.split() for name in COMMANDS)]


@pytest.mark.parametrize("words", PAGES, ids=lambda w: " ".join(w) or "rsguide")
def test_help_is_chinese_and_fits_80_columns(run, words):
    result = run(*words, "--help")
    assert result.exit_code == 0 and result.stderr == ""
    text = result.stdout
    assert text.startswith("用法：rsguide")
    assert not ENGLISH.search(text), ENGLISH.search(text)
    for line in text.splitlines():
        assert cell_len(line) <= 80, line
        assert not re.match(r"\s*[，。、；：！？）」》]", line), line
    spec = COMMANDS.get(" ".join(words))
    for example in spec.examples if spec else ():
        assert f"  {example}\n" in text  # every example whole on one line


def test_help_after_an_option_and_short_flag(run):
    assert run("check", "14", "-h").stdout == run("check", "--help").stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["shwo", "4"], "没有这个命令“shwo”；您是不是要运行 rsguide show？"),
        (["show", "4", "-f"], "选项 -f 后面缺少内容；运行 rsguide show --help 查看用法"),
        (["search", "失业", "-n", "abc"], "参数 --limit 的值无效（abc）；请给出 1–1000 之间的整数"),
        (["cache"], "命令 rsguide cache 后面缺少子命令"),
        (["show"], "缺少参数 事项；运行 rsguide show --help 查看用法"),
    ],
)
def test_errors_are_one_chinese_line(run, run_full, args, message):
    for result in (run(*args), run_full(*args)):
        assert result.exit_code == 2
        assert result.stderr.count("\n") == 1 and message in result.stderr


def test_version_short_and_long(run):
    assert run("-V").stdout == run("--version").stdout != ""


def test_output_file_extension_chooses_the_format(run, tmp_path: Path):
    target = tmp_path / "x.json"
    assert run("show", "4", "-o", str(target)).exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["number"] == 4
    md = tmp_path / "x.md"
    assert run("show", "4", "-o", str(md), "-f", "plain").exit_code == 0  # an explicit --format wins
    assert not md.read_text(encoding="utf-8").startswith("#")


def test_validate_strict_does_not_call_a_failing_base_valid(run):
    result = run("validate", "--strict")
    if result.exit_code == 3:
        assert "知识库有效" not in result.stdout and "未通过严格检查" in result.stdout
    else:
        assert result.exit_code == 0 and "警告" not in result.stdout


def _complete(shell: str, line: str, cword: int | None = None) -> list[str]:
    env = dict(os.environ, _RSGUIDE_COMPLETE=f"complete_{shell}")
    if shell == "bash":
        env.update(COMP_WORDS=line, COMP_CWORD=str(cword if cword is not None else len(line.split())))
    else:
        env.update(_TYPER_COMPLETE_ARGS=line)
        if shell == "fish":
            env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    proc = subprocess.run([sys.executable, "-m", "rsguide"], env=env, capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout.decode().splitlines()


def test_completion_of_item_names_in_bash():
    assert "失业登记" in _complete("bash", "rsguide show 失业", 2)


def test_completion_of_formats_conditions_and_districts():
    assert any('"json"' in line for line in _complete("zsh", "rsguide check 14 -f "))
    assert "代办" in _complete("bash", "rsguide materials 4 --when ", 4)
    fish = _complete("fish", "rsguide offices ")
    assert any(line.startswith("铁西区") for line in fish)
    assert "网上办" in _complete("bash", "rsguide materials 4 --channel ", 4)


def test_module_entry_prints_help_without_a_terminal():
    proc = run_process()
    assert proc.returncode == 2 and proc.stdout.decode().startswith("用法：rsguide")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("a: b: c\n", "不能写冒号"),
        ("a: [1\n", "方括号"),
        ('a: "x\n', "引号或括号里就结束"),
        ("a:\n  - 1\n - 2\n", "缩进不齐"),
        ("a: @x\n", "加引号"),
    ],
)
def test_yaml_syntax_errors_in_chinese(run, data_copy, text, words):
    (data_copy / "rules.yaml").write_text(text, encoding="utf-8")
    result = run("--data", str(data_copy), "show", "4")
    assert result.exit_code == 3 and words in result.stderr and "YAML 语法错误（第" in result.stderr
    assert not re.search(r"\b(found|expected|while|did not|mapping|scanning|token)\b", result.stderr), result.stderr


def test_data_that_is_a_file_says_so(run):
    result = run("--data", "README.md", "show", "4")
    assert result.exit_code == 3 and "不是目录" in result.stderr
