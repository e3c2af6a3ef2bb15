"""eligibility.yaml is a file of the knowledge base: read with the bounded reader, checked against the
items and concepts (Chinese messages with file and line), stored in the compiled store, optional."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rsguide.kb.loader import load
from rsguide.kb.paths import packaged_data_dir

SITUATION = ("check", "4", "-s", "主动辞职的", "--date", "2026-12-01", "-f", "plain")


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    target = tmp_path / "kb"
    shutil.copytree(packaged_data_dir(), target)
    return target


def _write(kb_dir: Path, text: str) -> Path:
    path = kb_dir / "eligibility.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _refused(run, kb_dir: Path, *args: str) -> str:
    r = run("--data", str(kb_dir), *args)
    assert r.exit_code == 3, r.output
    assert "Traceback" not in r.output
    assert "知识库有误" in r.stderr
    return r.stderr


def test_the_packaged_file_lives_with_the_knowledge_base() -> None:
    import rsguide.check

    assert (packaged_data_dir() / "eligibility.yaml").is_file()
    assert not (Path(rsguide.check.__file__).parent / "eligibility.yaml").exists()


def test_the_packaged_conditions_are_read_from_the_store(run) -> None:
    r = run(*SITUATION)
    assert r.exit_code == 7, r.output
    assert "申请条件“②失业人员非本人意愿中断就业。”" in r.stdout


def test_a_knowledge_base_without_the_file_reads_no_conditions(run, kb_dir: Path) -> None:
    (kb_dir / "eligibility.yaml").unlink()
    assert load(kb_dir).eligibility == ()
    r = run("--data", str(kb_dir), *SITUATION)
    assert "申请条件“" not in r.stdout
    assert "eligibility" not in r.output
    assert not r.stderr
    assert run("--data", str(kb_dir), "validate").exit_code == 0


def test_alias_bomb_is_refused_quickly(run, kb_dir: Path) -> None:
    lines = ['a0: &a0 ["失业保险金申领"]']
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 30)]
    lines += ["items:", "  - {item: 4, name: *a29, conditions: [{quote: x, about: [户口]}]}"]
    _write(kb_dir, "\n".join(lines) + "\n")
    err = _refused(run, kb_dir, *SITUATION)
    assert "eligibility.yaml" in err
    assert "别名" in err


def test_wrong_types_name_file_and_line(run, kb_dir: Path) -> None:
    _write(
        kb_dir,
        "version: 1\n"
        "bogus: 1\n"  # line 2
        "items:\n"
        "  - item: 4\n"
        "    name: 失业保险金申领\n"
        "    conditions:\n"
        "      - quote: ①失业人员失业前用人单位和本人失业保险累计缴费满1年。\n"  # line 7
        "        years: {of: 年龄, at_least: -1}\n"
        "  - item: 19\n"
        "    name: 直接确定专业技术职务\n"
        "    conditions:\n"
        "      - case: 初级职称\n"
        "        education:\n"
        "          - {quote: （1）初级职称：全日制硕士研究生毕业；, level: 初中}\n"  # line 14
        "  - item: abc\n"  # line 15
        "  - 一段文字\n",
    )
    err = _refused(run, kb_dir, "validate")
    assert "eligibility.yaml:2: bogus: 未知的键" in err
    assert "eligibility.yaml:8: 第4项条件1 years.of: 应为 毕业、缴费、工作 之一" in err
    assert "eligibility.yaml:14: 第19项条件1 education.level: 应为 博士、硕士、本科、专科、中专、高中 之一" in err
    assert "eligibility.yaml:15: 事项 item: 应为事项序号（正整数）" in err
    assert "应为映射：{item: 序号" in err


def test_references_are_checked_against_the_items_and_concepts(run, kb_dir: Path) -> None:
    _write(
        kb_dir,
        "items:\n"
        "  - item: 4\n"
        "    name: 失业保险金申领\n"
        "    conditions:\n"
        "      - quote: 失业人员须年满十八周岁\n"  # line 5: not the source's words
        "        contradicted_by: [主动离职, 不存在的概念]\n"
        "      - quote: ②失业人员非本人意愿中断就业。\n"  # line 7
        "        case: 转入\n"
        "        satisfied_by: 在职\n"
        "  - {item: 99, name: 无此事项, conditions: [{quote: x, about: [户口]}]}\n",  # line 10
    )
    err = _refused(run, kb_dir, "check", "4", "-s", "主动辞职")
    assert "eligibility.yaml:5: 第4项条件1 quote: “失业人员须年满十八周岁”不是该事项申请条件或事项说明的原文" in err
    assert "eligibility.yaml:5: 第4项条件1 contradicted_by: 概念“不存在的概念”未在 concepts.yaml" in err
    assert "eligibility.yaml:7: 第4项条件2 case: 办理情形“转入”不存在（该事项没有办理情形）" in err
    assert "eligibility.yaml:10: 第99项 item: 事项 99 不存在" in err


def test_an_item_named_otherwise_is_a_warning_and_its_conditions_are_not_used(run, kb_dir: Path) -> None:
    # A renamed item (or another item under the 序号) must not get the old item's conditions, and
    # must not stop the knowledge base either.
    items = kb_dir / "items.yaml"
    items.write_text(
        items.read_text(encoding="utf-8").replace("    name: 失业保险金申领\n", "    name: 失业保险金申请\n"),
        encoding="utf-8",
    )
    r = run("--data", str(kb_dir), *SITUATION)
    assert "申请条件“" not in r.stdout, r.output
    v = run("--data", str(kb_dir), "validate")
    assert v.exit_code == 0, v.output
    assert "eligibility.yaml:24: 第4项 name: 名称“失业保险金申领”与 items.yaml 中第4项的“失业保险金申请”不同" in v.output


def test_without_concepts_yaml_only_years_and_education_are_judged(run, kb_dir: Path) -> None:
    (kb_dir / "concepts.yaml").unlink()
    assert len(load(kb_dir).eligibility) == 7
    quit_job = run("--data", str(kb_dir), *SITUATION)
    assert "申请条件“" not in quit_job.stdout, quit_job.output
    short = run("--data", str(kb_dir), "check", "4", "-s", "缴费半年", "--date", "2026-12-01", "-f", "plain")
    assert short.exit_code == 7, short.output
    assert "申请条件“①失业人员失业前用人单位和本人失业保险累计缴费满1年。”" in short.stdout


def test_another_knowledge_base_brings_its_own_conditions(run, kb_dir: Path) -> None:
    _write(
        kb_dir,
        "items:\n"
        "  - item: 4\n"
        "    name: 失业保险金申领\n"
        "    conditions:\n"
        "      - quote: ①失业人员失业前用人单位和本人失业保险累计缴费满1年。\n"
        "        years: {of: 缴费, at_least: 1}\n",
    )
    quit_job = run("--data", str(kb_dir), *SITUATION)
    assert "申请条件“" not in quit_job.stdout  # the 非本人意愿 condition is not in this file
    short = run("--data", str(kb_dir), "check", "4", "-s", "缴费半年", "--date", "2026-12-01", "-f", "plain")
    assert short.exit_code == 7, short.output
    assert "申请条件“①失业人员失业前用人单位和本人失业保险累计缴费满1年。”" in short.stdout
    assert "缴费半年" in short.stdout


def test_the_levels_checked_are_the_levels_read() -> None:
    from rsguide.check.eligibility import _LEVELS
    from rsguide.kb.eligibility import LEVELS

    assert {level for _word, level in _LEVELS} == set(LEVELS)


def test_the_compiled_store_carries_the_conditions(tmp_path: Path, kb_dir: Path, monkeypatch) -> None:
    from rsguide.kb import cache
    from rsguide.session import Catalog

    monkeypatch.setenv("RSGUIDE_CACHE_DIR", str(tmp_path / "cache"))
    store = cache.open_store(kb_dir)
    assert store is not None
    try:
        assert Catalog(store).eligibility == load(kb_dir).eligibility
        assert Catalog(store).eligibility[-1].conditions[0].education[1].work_years == 1.0
    finally:
        store.close()
