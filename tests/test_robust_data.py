"""Fuzzing the loader with mutated copies of the real files: every outcome is a loaded knowledge
base or a validation message that names the file (and the line, where there is one)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rsguide.errors import DataError
from rsguide.kb.loader import load
from tests.conftest import DATA

FILES = ["items.yaml", "offices.yaml", "rules.yaml", "synonyms.yaml"]
ORIGINAL = {name: (DATA / name).read_text(encoding="utf-8").splitlines(keepends=True) for name in FILES}
JUNK = [
    "- ",
    ": ",
    "\t",
    "[",
    "]",
    "{",
    "}",
    "&a",
    "*a",
    "!!python/object:os.system",
    "~",
    "null",
    "0",
    "-1",
    "'",
    '"',
    "#",
    "@",
    "｜",
    "?",
]


@st.composite
def mutation(draw):
    name = draw(st.sampled_from(FILES))
    lines = list(ORIGINAL[name])
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "junk", "indent", "dedent", "truncate", "swap"]))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "junk":
            j = draw(st.integers(0, max(0, len(lines[i]) - 1)))
            lines[i] = lines[i][:j] + draw(st.sampled_from(JUNK)) + lines[i][j:]
        elif op == "indent":
            lines[i] = "  " + lines[i]
        elif op == "dedent":
            lines[i] = lines[i].lstrip()
        elif op == "truncate":
            lines = lines[:i]
        elif op == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        if not lines:
            break
    return name, "".join(lines)


@settings(
    max_examples=int(os.environ.get("RSGUIDE_FUZZ_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(m=mutation())
def test_mutated_files_load_or_explain(tmp_path_factory, m):
    name, text = m
    folder: Path = tmp_path_factory.mktemp("fuzz")
    for f in FILES:
        shutil.copy(DATA / f, folder / f)
    (folder / name).write_text(text, encoding="utf-8")
    try:
        kb = load(folder)
    except DataError as exc:
        assert exc.issues
        for issue in exc.issues:
            assert issue.file.endswith(".yaml")
            assert issue.message
            assert issue.line is None or issue.line > 0
        assert any(i.line for i in exc.issues) or any(
            w in i.message for i in exc.issues for w in ("文件为空", "没有内容", "应为映射", "缺少必填项", "不存在")
        )
    else:
        assert kb.items
