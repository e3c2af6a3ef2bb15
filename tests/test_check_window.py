"""check at the window: the tester's findings (tester2 #1, #7, #10, #11, #12), asserted as the clerk sees them."""

from __future__ import annotations

import pytest

# ── #10: common spellings of the 容缺 material ──


@pytest.mark.parametrize("number", ["14", "16"])
@pytest.mark.parametrize("spelling", ["居民身份证复印件", "身份证的复印件", "二代身份证复印件", "本人身份证的复印件"])
def test_spellings_of_the_tolerated_copy_are_understood(run, number: str, spelling: str) -> None:
    r = run("check", number, "-m", spelling, "--date", "2026-12-01", "-f", "plain")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("【容缺受理（补正截止 2026-12-22）】")


def test_a_spelling_that_fits_two_materials_still_asks(run) -> None:
    r = run("check", "14", "--when", "代办", "-m", "居民身份证复印件", "-f", "plain")
    assert r.exit_code == 2
    assert "可以指“存档人员有效身份证件”、“代办人员有效身份证件”，请问是哪一份" in r.stderr


def test_the_id_card_itself_is_still_not_tolerated(run) -> None:
    r = run("check", "16", "-m", "居民身份证", "--date", "2026-12-01", "-f", "plain")
    assert r.exit_code == 4
    assert r.stdout.startswith("【材料不全（缺：存档人员有效身份证件）】")


# ── #11: the same material both brought and missing ──


@pytest.mark.parametrize(
    "args",
    [
        ("14", "-m", "身份证复印件", "--have", "身份证复印件", "--have", "户口本"),
        ("14", "-m", "户口本", "--have", "户口簿"),
        ("免费职业技能培训", "-s", "无", "-m", "就业创业证", "--have", "就业创业证"),
    ],
)
def test_the_same_material_brought_and_missing_is_a_usage_error(run, args: tuple[str, ...]) -> None:
    r = run("check", *args, "--date", "2026-12-01", "-f", "plain")
    assert r.exit_code == 2
    assert "不能既写在 --have（已带）又写在 --missing（缺少）" in r.stderr
    assert r.stdout == ""


def test_the_id_brought_and_its_copy_missing_is_not_a_contradiction(run) -> None:
    r = run("check", "14", "-m", "身份证复印件", "--have", "身份证", "--have", "户口本", "--date", "2026-12-01")
    assert r.exit_code == 0
    assert "容缺受理" in r.stdout


# ── #12: 须补齐的材料 lists what is missing, not the source's whole sentence ──


def test_what_to_supply_lists_only_the_missing_material(run) -> None:
    r = run("check", "4", "--when", "代办", "--have", "社保卡", "--have", "委托书", "-f", "plain")
    assert r.exit_code == 4
    supply = r.stdout.split("【须补齐的材料】")[1].split("【")[0]
    assert supply.strip().splitlines() == ["- 代办人身份证（复印件；1份；正反面）"]
    assert "委托书" not in supply


# ── #1: a description that contradicts the item's 申请条件 is never 可以受理 ──


@pytest.mark.parametrize(
    ("args", "condition", "understood"),
    [
        (("4", "-s", "主动辞职，缴费半年"), "“②失业人员非本人意愿中断就业。”", "主动离职（辞职）"),
        (("4", "-s", "主动辞职，缴费半年"), "“①失业人员失业前用人单位和本人失业保险累计缴费满1年。”", "缴费半年"),
        (("4", "-s", "缴费不到一年，单位裁员"), "累计缴费满1年", "缴费不到一年"),
        (
            ("19", "-s", "全日制大专毕业1年，评审专业", "--case", "初级职称"),
            "（初级职称）“（1）初级职称：全日制大学专科毕业满3年，从事相关专业工作满3年。”",
            "大专（毕业1年）",
        ),
        (
            ("19", "-s", "全日制本科毕业5年，评审专业", "--case", "中级职称"),
            "“（2）中级职称：全日制硕士研究生毕业满3年，从事相关专业工作满3年。”",
            "本科（毕业5年）",
        ),
        (("7", "-s", "户口在鞍山"), "“户口为鞍山市以外的领取失业保险金人员可申请办理失业保险金异地转出”", "本地户口"),
        (("8", "-s", "户口在沈阳"), "“户口为鞍山市的领取失业保险金人员可申请办理失业保险金异地转入。”", "外地户口"),
        (("6", "-s", "在职职工生育"), "“女性失业人员领取失业保险金期间”", "在职"),
    ],
)
def test_a_contradicted_condition_is_to_be_confirmed(run, args, condition: str, understood: str) -> None:
    r = run("check", *args, "--date", "2026-12-01", "-f", "plain")
    assert r.exit_code == 7
    assert r.stdout.startswith("【待确认（请先核对申请条件）】")
    line = next(x for x in r.stdout.splitlines() if condition in x)
    assert f"而描述中说的是：{understood}" in line and "与条件不符" in line


def test_the_contradiction_is_in_json_and_no_paper_is_written(run, tmp_path) -> None:
    import json

    data = json.loads(run("check", "7", "-s", "户口在鞍山", "-f", "json").stdout)
    assert data["verdict"] == "unconfirmed" and data["questions"] == []
    assert data["conditions"] == [
        {
            "judgement": "contradicted",
            "case": None,
            "conditions": ["户口为鞍山市以外的领取失业保险金人员可申请办理失业保险金异地转出"],
            "understood": "本地户口（户口在鞍山）",
        }
    ]
    r = run("check", "7", "-s", "户口在鞍山", "--document", str(tmp_path / "x.txt"))
    assert r.exit_code == 7 and not (tmp_path / "x.txt").exists()
    assert "未生成文书" in r.stderr and "户口为鞍山市以外" in r.stderr


@pytest.mark.parametrize(
    ("args", "verdict"),
    [
        (("7", "-s", "户口在外省"), "【可以受理】"),  # meets the condition
        (("8", "-s", "户口在鞍山"), "【可以受理】"),
        (("4", "-s", "不是主动辞职，单位裁员"), "【可以受理】"),  # denied
        (("4", "-s", "缴费3年，被裁员"), "【可以受理】"),
        (("4", "-s", "本人来办"), "【可以受理】"),  # nothing about the conditions: as before
        (("19", "-s", "全日制本科毕业满1年，机械专业，不是国家、省统一考试的专业"), "【可以受理】"),
        (("19", "-s", "全日制硕士，毕业4年，评审专业", "--case", "中级职称"), "【可以受理】"),
        (("19", "-s", "全日制硕士，毕业2年，评审专业", "--case", "中级职称"), "【待确认（请先核对申请条件）】"),
        (("7", "-s", "户口是不是在鞍山不知道"), "【待确认（请先核对申请条件）】"),  # touched, not settled
        (("14", "-s", "辞职后未就业的原国企专业技术人员"), "【可以受理】"),  # 14 has no such condition
    ],
)
def test_conditions_met_denied_or_unsaid(run, args, verdict: str) -> None:
    r = run("check", *args, "--date", "2026-12-01", "-f", "plain")
    assert r.stdout.startswith(verdict)


def test_open_condition_says_what_to_confirm(run) -> None:
    r = run("check", "7", "-s", "户口是不是在鞍山不知道", "--date", "2026-12-01", "-f", "plain")
    assert r.exit_code == 7
    assert "未能判断是否符合，请向申请人核对" in r.stdout


def test_every_condition_quotes_its_item(kb) -> None:
    from rsguide.check.eligibility import conditions_of

    assert [e.number for e in kb.eligibility] == [2, 4, 5, 6, 7, 8, 19]
    for entry in kb.eligibility:
        item = kb.item(entry.number)
        assert item.name == entry.name
        conditions = conditions_of(item, kb.eligibility)
        assert conditions and conditions == entry.conditions
        own = "\n".join([item.intro or "", *item.conditions])
        assert all(q in own for c in conditions for q in c.quotes), f"a quote of item {entry.number} is not the source's words"


# ── #7: a subject whose very name is the 禁办事项 ──


@pytest.mark.parametrize(
    ("subject", "label"), [("外省市评审的职称证书补发", "禁办3"), ("外省市报名的职业资格考试证书补发", "禁办4")]
)
def test_none_does_not_rule_out_the_subjects_own_name(run, subject: str, label: str) -> None:
    for situation in (("-s", "无"), ()):
        r = run("check", subject, *situation, "-f", "plain")
        assert r.exit_code == 7, r.stdout
        assert r.stdout.startswith(f"【待确认（请先核对禁办情形：{label}）】")
        assert f"所写的事项“{subject}”本身就是《违规禁办事项清单》" in r.stdout
        assert f"不属于：--situation 不是{label}" in r.stdout
    assert run("check", subject, "-s", label).exit_code == 5
    assert run("check", subject, "-s", f"不是{label}").exit_code == 0


@pytest.mark.parametrize(
    ("subject", "situation"),
    [("外省市评审的职称证书补发", "职称是鞍山评的"), ("外省市报名的职业资格考试证书补发", "考试是在鞍山报名的")],
)
def test_the_description_still_rules_it_out(run, subject: str, situation: str) -> None:
    r = run("check", subject, "-s", situation, "-f", "plain")
    assert r.exit_code == 0 and r.stdout.startswith("【可以受理】")


def test_a_subject_named_for_the_service_is_still_ruled_out_by_none(run) -> None:
    assert run("check", "免费职业技能培训报名", "-s", "无").exit_code == 0
    assert run("check", "遗失技能人员职业资格证书补发证明的申请", "-s", "无").exit_code == 0


def test_a_subject_that_fits_two_rule_subjects_asks_which(run) -> None:
    # 禁办1 (补发证明) and 禁办4 (外省市报名的考试证书补发) each have their own 情形: the clerk names one.
    r = run("check", "职业资格证书补发", "--situation", "在北京报名考的")
    assert r.exit_code == 2
    assert "遗失技能人员职业资格证书补发证明的申请" in r.stderr and "外省市报名的职业资格考试证书补发" in r.stderr
    assert "第18项" in run("check", "证书补发").stderr  # an item as close is listed too
    assert run("check", "外省市报名的职业资格考试证书补发", "--situation", "在北京报名考的").exit_code == 5
