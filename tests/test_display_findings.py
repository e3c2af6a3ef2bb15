"""Tester2's display findings, as the clerk sees them: window numbers in ``offices``, a channel
that needs no material in ``materials``, the issuer of a material on the card, the checklist and
the one-time notice."""

from __future__ import annotations

import json

import pytest

# ── offices N: the source's window numbers, not digits inside addresses ──


def test_offices_8_lists_both_windows_the_source_numbers_8(run):
    result = run("offices", "8", "--format", "plain")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "【序号为8的窗口（源文件中海城市、台安县的序号都写作“8”）】" in out
    assert "海城市劳动就业服务中心" in out and "台安县劳动和社会保障事务服务中心" in out
    assert "立山区" not in out and "鞍千路178号" not in out  # an address with an 8 in it
    assert "三道街81号" not in out and "莘英路889号" not in out
    data = json.loads(run("offices", "8", "--format", "json").stdout)
    assert sorted(o["district"] for o in data) == ["台安县", "海城市"]


@pytest.mark.parametrize("query", ["7", "７", "第7", "7号", "七号窗口"])
def test_offices_7_says_the_list_has_no_window_7(run, query):
    result = run("offices", query)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "源文件的窗口列表没有序号为7的窗口" in result.stderr
    assert "1、2、3、4、5、6、8、8、9" in result.stderr
    assert "建设大道709号" not in result.output and "岫岩" not in result.output


def test_offices_by_district_name_still_matches_text(run):
    out = run("offices", "海城", "--format", "plain").stdout
    assert "海城市劳动就业服务中心" in out and "台安县劳动和社会保障事务服务中心" not in out


# ── materials --channel for a channel that needs nothing ──


def test_a_channel_that_needs_nothing_is_a_statement_not_a_material(run):
    out = run("materials", "2", "--channel", "掌上办", "--format", "plain").stdout
    assert "- 掌上办不需要提供要件" in out
    assert "①" not in out  # the source's numbering made it read as material ①
    assert "条件标签" not in out and "申领失业金" not in out  # 申领失业金 is a condition of 窗口办 only
    window = run("materials", "2", "--format", "plain").stdout
    assert "申领失业金：劳动者需申领失业金、失业补助金" in window  # still there where it belongs
    data = json.loads(run("materials", "2", "--channel", "掌上办", "--format", "json").stdout)
    assert data["none_required"] is True and data["required"] == []


def test_the_notice_of_a_channel_that_needs_nothing_says_so_plainly(run):
    out = run("notice", "2", "--channel", "掌上办", "--format", "plain", "--date", "2026-12-01").stdout
    assert "掌上办不需要提供要件" in out
    assert "①“掌上办”" not in out


def test_a_source_that_writes_only_wu_is_quoted_not_reworded(run):
    out = run("show", "23", "--format", "plain").stdout
    assert "不需要提供要件（源文件原文：无）" in out


# ── who issues a material: the source's words the short name lost ──

ISSUED = {
    (7, "《失业保险关系接收证明》"): "转入地失业保险经办机构出具的",
    (11, "税票/缴费凭证"): "准确缴费信息的",
    (15, "调档函"): "具有人事档案管理权限的部门开具的",
    (20, "职工个人基本信息"): "由参保单位提供的",
    (27, "人员编制及领导职数核定单"): "由机构编制部门开具的",
}


def test_qualifiers_are_the_sources_words_before_the_name_and_only_those():
    from rsguide.kb.loader import load, packaged_data_dir
    from rsguide.output.material_text import qualifier

    kb = load(packaged_data_dir())
    found = {(it.number, m.name): q for it in kb.items for g in it.materials for m in g.items if (q := qualifier(m))}
    assert found == ISSUED
    for it in kb.items:
        for g in it.materials:
            for m in g.items:
                if q := qualifier(m):
                    assert q + m.name in m.text  # verbatim, attached where the source attaches it
    # the remark already says it, so it is not said twice: 职工本人签字的《…申请书》（职工本人签字）
    item24 = kb.item(24)
    assert item24 is not None
    assert all(qualifier(m) == "" for g in item24.materials for m in g.items)


@pytest.mark.parametrize(
    ("number", "line"),
    [
        (7, "2 转入地失业保险经办机构出具的《失业保险关系接收证明》"),
        (15, "3 具有人事档案管理权限的部门开具的调档函"),
        (27, "2 由机构编制部门开具的人员编制及领导职数核定单（份数：1份）"),
    ],
)
def test_the_checklist_names_who_issues_the_material(run, number, line):
    out = run("materials", str(number), "--format", "plain").stdout
    assert line in out


def test_the_checklist_json_adds_the_qualifier_and_keeps_the_name(run):
    data = json.loads(run("materials", "7", "--format", "json").stdout)
    paper = data["required"][1]
    assert paper["name"] == "《失业保险关系接收证明》"  # the old field, same meaning
    assert paper["text"] == "转入地失业保险经办机构出具的《失业保险关系接收证明》"
    assert paper["qualifier"] == "转入地失业保险经办机构出具的"
    assert data["required"][0]["qualifier"] is None


@pytest.mark.parametrize("runner", ["run", "run_full"])
def test_the_card_names_who_issues_the_material_on_both_paths(request, runner):
    run = request.getfixturevalue(runner)  # the fast path prints the card stored at build time
    out = run("show", "27", "--format", "plain").stdout
    assert "②由机构编制部门开具的人员编制及领导职数核定单（1份）" in out
    out = run("show", "7", "--format", "plain").stdout
    assert "②转入地失业保险经办机构出具的《失业保险关系接收证明》" in out


def test_the_full_card_names_who_issues_the_material(run):
    out = run("show", "15", "--full", "--format", "plain").stdout
    assert "具有人事档案管理权限的部门开具的调档函" in out


def test_the_one_time_notice_names_who_issues_the_material(run):
    out = run("notice", "7", "--format", "plain", "--date", "2026-12-01").stdout
    assert "☐ 2. 转入地失业保险经办机构出具的《失业保险关系接收证明》" in out
    html = run("notice", "15", "--format", "html", "--date", "2026-12-01").stdout
    assert "具有人事档案管理权限的部门开具的调档函" in html


def test_matching_materials_in_check_still_uses_the_short_name(run):
    result = run("check", "7", "--missing", "《失业保险关系接收证明》", "--format", "plain", "--date", "2026-12-01")
    assert "材料不全" in result.stdout
    assert "转入地失业保险经办机构出具的" not in result.stderr


def test_the_correction_notice_names_who_issues_the_missing_material(run, tmp_path):
    paper = tmp_path / "补正.txt"
    result = run("check", "7", "--have", "社保卡", "--date", "2026-12-01", "--document", str(paper))
    assert result.exit_code == 4
    text = paper.read_text(encoding="utf-8")
    assert "1. 转入地失业保险经办机构出具的《失业保险关系接收证明》" in text
