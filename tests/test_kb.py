"""The knowledge base: counts, references, and one broken file per validation error kind."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rsguide.errors import DataError
from rsguide.kb.loader import load, load_with_warnings
from rsguide.model import CHANNELS


def test_counts(kb):
    assert len(kb.items) == 36
    assert [i.number for i in kb.items] == list(range(1, 37))
    assert len(kb.categories) == 9
    assert {i.category for i in kb.items} == {c.id for c in kb.categories}
    windows = [o for o in kb.offices if o.kind == "district_window"]
    assert len(windows) == 9
    assert sorted(o.number for o in windows) == [1, 2, 3, 4, 5, 6, 8, 8, 9]  # the source numbers two "8"
    assert len(kb.prohibited) == 6
    assert len(kb.tolerated) == 4


def test_every_reference_resolves(kb):
    office_ids = {o.id for o in kb.offices}
    for item in kb.items:
        assert item.paths, item.number
        for p in item.paths:
            assert p.channel in CHANNELS
            assert set(p.places) <= office_ids, item.number
        case_ids = {c.id for c in item.cases}
        for g in item.materials:
            assert g.case is None or g.case in case_ids
            for m in g.items:
                assert set(m.when) <= set(kb.conditions)
    for rule in [*kb.prohibited, *kb.tolerated]:
        assert (rule.item is None) != (rule.rule_subject is None)
        assert rule.item is None or kb.item(rule.item) is not None
        assert rule.rule_subject is None or kb.subject(rule.rule_subject) is not None


def test_rule_subjects_that_are_not_items(kb):
    names = {s.name for s in kb.subjects}
    assert names == {
        "遗失技能人员职业资格证书补发证明的申请",
        "免费职业技能培训报名",
        "外省市报名的职业资格考试证书补发",
    }
    linked = {r.number: r.item for r in kb.prohibited}
    assert linked == {1: None, 2: None, 3: 18, 4: None, 5: 19, 6: 19}
    assert {r.number: r.item for r in kb.tolerated} == {1: None, 2: 14, 3: 16, 4: 17}


def test_validate_warnings_for_maintainers():
    _kb, warnings = load_with_warnings()
    text = "\n".join(str(w) for w in warnings)
    assert "莘英路899号" in text and "莘英路889号" in text  # near-duplicate addresses
    assert "5596188" in text and "没有区号" in text


# ── one broken copy per error kind ──


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture anchor missing: {old!r}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _line_of(path: Path, needle: str, *, last: bool = False) -> int:
    found = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line]
    if not found:
        raise AssertionError(needle)
    return found[-1] if last else found[0]


BROKEN = {
    # kind: (file, old, new, expected key, message fragment, needle for the line)
    "syntax": ("items.yaml", "  - number: 3\n", "  - number: [3\n", None, "YAML 语法错误", None),
    "wrong_type": ("items.yaml", "    page: 16\n", "    page: 十六\n", "page", "应为正整数", "page: 十六"),
    "unknown_key": ("items.yaml", "    page: 16\n", "    page: 16\n    pgae: 16\n", "pgae", "未知的键", "pgae: 16"),
    "missing_key": ("items.yaml", "    name: 失业登记\n", "", "name", "缺少必填项", None),
    "duplicate_number": ("items.yaml", "  - number: 5\n", "  - number: 4\n", "number", "序号重复", "- number: 4"),
    "synonym_null_key": ("synonyms.yaml", "synonyms:\n", "synonyms:\n  null: [失业登记]\n", None, "同义词的键应为文字，实为空值", "null: [失业登记]"),
    "binary_name": ("items.yaml", "    name: 失业登记\n", "    name: !!binary 5aSx5Lia\n", "name", "二进制数据（6 字节）", "!!binary"),
    "dangling_place": (
        "items.yaml",
        "places: [laodong-dasha]",
        "places: [nowhere]",
        "paths.places",
        "nowhere",
        None,
    ),
    "unknown_channel": (
        "items.yaml",
        "      - channel: 掌上办\n        text: 掌上12333APP",
        "      - channel: 飞鸽办\n        text: 掌上12333APP",
        "paths.channel",
        "飞鸽办",
        "channel: 飞鸽办",
    ),
    "bad_days": (
        "items.yaml",
        "kind: working_days, days: 5}",
        "kind: working_days, days: -5}",
        "days",
        "正整数",
        "days: -5",
    ),
    "days_missing": (
        "items.yaml",
        "kind: working_days, days: 5}",
        "kind: working_days}",
        "time_limits.days",
        "working_days",
        None,
    ),
    "undefined_case": ("items.yaml", "- case: 解除备案\n", "- case: 撤销备案\n", "materials.case", "撤销备案", None),
    "undefined_condition": ("items.yaml", "when: [首次备案]", "when: [第一次]", "materials.items.when", "第一次", None),
    "dangling_rule_item": ("rules.yaml", "    item: 18\n", "    item: 99\n", "item", "事项 99 不存在", None),
    "duplicate_office_id": ("offices.yaml", "  - id: tiexi\n", "  - id: tiedong\n", "id", "id 重复", None),
    "duplicate_key": (
        "offices.yaml",
        "    address: 铁西区千山西路30栋\n",
        "    address: 铁西区千山西路30栋\n    address: 重复\n",
        "address",
        "键重复",
        "address: 重复",
    ),
    "bad_office_kind": ("offices.yaml", "    kind: bank\n", "    kind: atm\n", "kind", "atm", "kind: atm"),
    "bad_correction": (
        "rules.yaml",
        "correction: {kind: on_site_check}",
        "correction: {kind: someday}",
        "correction.kind",
        "someday",
        None,
    ),
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_broken_data_names_file_line_and_key(kind, data_copy, run):
    name, old, new, key, fragment, needle = BROKEN[kind]
    path = data_copy / name
    _edit(path, old, new)
    with pytest.raises(DataError) as info:
        load(data_copy)
    issues = info.value.issues
    found = [i for i in issues if fragment in str(i)]
    assert found, [str(i) for i in issues]
    issue = found[0]
    assert issue.file.endswith(name)
    assert issue.line is not None and issue.line > 0
    if key:
        assert issue.key == key
    if needle:
        # a duplicate is reported where the second one is, naming the first
        assert issue.line == _line_of(path, needle, last=kind.startswith("duplicate"))
    if kind == "duplicate_number":
        assert f"与第 {_line_of(path, needle)} 行的事项相同" in issue.message
    # The CLI prints it without a traceback and exits 3.
    result = run("--data", str(data_copy), "--no-cache", "show", "4")
    assert result.exit_code == 3
    assert "Traceback" not in result.output
    assert name in result.stderr and "知识库有误" in result.stderr


def test_all_errors_are_listed_not_only_the_first(data_copy, run):
    _edit(data_copy / "items.yaml", "    page: 16\n", "    page: 十六\n")
    _edit(data_copy / "items.yaml", "    page: 17\n", "    page: 十七\n")
    _edit(data_copy / "offices.yaml", "    kind: bank\n", "    kind: atm\n")
    with pytest.raises(DataError) as info:
        load(data_copy)
    assert len(info.value.issues) == 3
    result = run("validate", "--data", str(data_copy))
    assert result.exit_code == 3
    assert "共 3 处错误" in result.stderr
    assert result.stderr.count("items.yaml:") == 2 and "offices.yaml:" in result.stderr


@pytest.mark.parametrize(
    ("kind", "fragment"),
    [
        ("gbk", "不是 UTF-8"),
        ("empty", "文件为空"),
        ("missing", "文件不存在"),
        ("huge", "文件过大"),
        ("not_mapping", "应为映射"),
    ],
)
def test_unreadable_files(kind, fragment, data_copy, run):
    path = data_copy / "items.yaml"
    if kind == "gbk":
        path.write_bytes(path.read_text(encoding="utf-8").encode("gbk", "replace"))
    elif kind == "empty":
        path.write_text("")
    elif kind == "missing":
        path.unlink()
    elif kind == "huge":
        with open(path, "ab") as fh:
            fh.write(b"#" * (50 * 1024 * 1024))
    elif kind == "not_mapping":
        path.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        load(data_copy)
    assert fragment in str(info.value.issues[0])
    assert info.value.issues[0].file.endswith("items.yaml")
    result = run("--data", str(data_copy), "--no-cache", "search", "社保卡")
    assert result.exit_code == 3 and fragment in result.stderr and "Traceback" not in result.output


def test_bom_is_accepted(data_copy):
    path = data_copy / "items.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert len(load(data_copy).items) == 36


def test_missing_data_dir(tmp_path, run):
    result = run("--data", str(tmp_path / "nope"), "show", "4")
    assert result.exit_code == 3
    assert "知识库目录不存在" in result.stderr


def test_environment_variable_points_at_another_kb(data_copy, run, monkeypatch):
    _edit(data_copy / "items.yaml", "    name: 失业登记\n", "    name: 失业登记（测试城市）\n")
    monkeypatch.setenv("RSGUIDE_DATA", str(data_copy))
    result = run("show", "2", "--format", "json")
    assert result.exit_code == 0
    assert '"name": "失业登记（测试城市）"' in result.stdout


def test_rsguide_never_writes_into_the_knowledge_base(data_copy, run, tmp_path):
    before = {p.name: p.read_bytes() for p in data_copy.iterdir()}
    for args in (["show", "4"], ["search", "社保卡"], ["export", "--format", "json", "-o", str(tmp_path / "x.json")]):
        assert run("--data", str(data_copy), *args).exit_code == 0
    assert {p.name: p.read_bytes() for p in data_copy.iterdir()} == before


def test_line_numbers_are_real(data_copy):
    path = data_copy / "items.yaml"
    _edit(path, "    page: 38\n", "    page: -38\n")
    with pytest.raises(DataError) as info:
        load(data_copy)
    (issue,) = info.value.issues
    assert issue.entry == "第32项"
    assert re.search(r"page: -38", path.read_text(encoding="utf-8").splitlines()[issue.line - 1])
