"""check: every verdict on real items, every 禁办 and 容缺 row, conditional materials, dates."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from rsguide.check.checker import check
from rsguide.check.workdays import add_working_days
from rsguide.errors import NotFoundError, UsageError

D = dt.date


@pytest.fixture
def decide(kb, index):
    def _decide(subject: str, **kw):
        return check(kb, lambda: index, subject, **kw)

    return _decide


# ── working days ──


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (D(2026, 12, 1), 15, D(2026, 12, 22)),
        (D(2026, 2, 10), 15, D(2026, 3, 9)),  # Spring Festival 02-15..02-23, 02-14 and 02-28 are workdays
        (D(2026, 2, 12), 5, D(2026, 2, 26)),
        (D(2026, 2, 13), 1, D(2026, 2, 14)),  # Saturday 02-14 is a make-up working day
        (D(2026, 9, 30), 1, D(2026, 10, 8)),  # National Day holidays 10-01..10-07
        (D(2026, 12, 31), 0, D(2026, 12, 31)),
    ],
)
def test_working_days(start, days, due):
    result = add_working_days(start, days)
    assert result.date == due
    assert result.warnings == ()


def test_past_the_known_calendar_warns():
    result = add_working_days(D(2026, 12, 22), 15)
    assert result.date.year == 2027
    assert result.warnings and "2027" in result.warnings[0] and "周末" in result.warnings[0]


# ── verdicts ──


def test_ok(decide):
    v = decide("失业保险金申领", date=D(2026, 12, 1))
    assert v.verdict == "ok"
    assert v.channel == "窗口办"
    assert [m.name for m in v.present] == ["本人鞍山市社会保障卡"]


def test_tolerated_row_2_archive_transfer(decide):
    v = decide("14", missing=["身份证复印件"], date=D(2026, 12, 1))
    assert v.verdict == "tolerated"
    (t,) = v.tolerated
    assert t.source == "当事人提供" and t.correction == "15个工作日" and t.deadline == D(2026, 12, 22)
    assert t.list_material == "身份证复印件" and t.material == "存档人员有效身份证件"
    assert v.correction_deadline == D(2026, 12, 22)


def test_tolerated_row_3_archive_proof(decide):
    v = decide("出具流动人员人事档案相关证明", missing=["身份证复印件"], date=D(2026, 2, 10))
    assert v.verdict == "tolerated"
    assert v.correction_deadline == D(2026, 3, 9)


def test_tolerated_row_4_commitment(decide):
    v = decide("人力资源服务许可审批", missing=["公司章程和管理制度"], date=D(2026, 12, 1))
    assert v.verdict == "tolerated"
    assert v.tolerated[0].kind == "commitment"
    assert v.correction_deadline is None
    assert v.due_date == D(2026, 12, 29)  # 20 working days


def test_tolerated_row_1_rule_subject(decide):
    v = decide("免费职业技能培训报名", missing=["就业创业证"], situations=["属于十二类人员"])
    assert v.subject.item is None and v.subject.rule_subject.id == "free-skill-training"
    assert v.verdict == "tolerated"
    assert v.tolerated[0].correction == "现场查询"


def test_incomplete(decide):
    v = decide("流动人员人事档案转出", missing=["调档函"])
    assert v.verdict == "incomplete"
    assert [m.name for m in v.missing] == ["调档函"]


def test_have_lists_what_was_brought(decide):
    v = decide("4", have=["社保卡"], when=["代办"])
    assert v.verdict == "incomplete"
    assert {m.name for m in v.missing} == {"当事人委托书", "代办人身份证"}


def test_guide_says_tolerable_but_not_on_the_list(decide):
    v = decide("1", case="用工备案", missing=["劳动合同"])
    assert v.verdict == "incomplete"
    assert any("不在《容缺办理事项清单》上" in w for w in v.warnings)


@pytest.mark.parametrize(
    ("subject", "situation", "rule"),
    [
        ("遗失技能人员职业资格证书补发证明的申请", "证书信息网上不可查", 1),
        ("技能人员职业资格证书补发证明", "不是原证书颁发机构所发的证书", 1),
        ("免费职业技能培训报名", "劳动者身份不符合十二类人员身份", 2),
        ("职称证书补发", "外省市评审的职称证书", 3),
        ("外省市报名的职业资格考试证书补发", "提供外省市考试合格登记表", 4),
        ("直接确定专业技术职务", "非全日制学历", 5),
        ("19", "国家、省组织统一考试的专业", 6),
    ],
)
def test_every_prohibited_row(decide, subject, situation, rule):
    v = decide(subject, situations=[situation])
    assert v.verdict == "prohibited"
    assert [p["rule"] for p in v.prohibited] == [rule] * len(v.prohibited)


def test_subject_naming_the_prohibited_request(decide):
    # the name alone is not the clerk's statement that the 情形 applies (tester2 #7): ask
    v = decide("外省市评审的职称证书补发")
    assert v.subject.item.number == 18 and v.verdict == "unconfirmed"
    assert [f.label for f in v.questions] == ["禁办3"]
    assert decide("外省市评审的职称证书补发", situations=["禁办3"]).verdict == "prohibited"


def test_negation_is_respected(decide):
    subject = "遗失技能人员职业资格证书补发证明的申请"
    assert decide(subject, situations=["证书信息网上不可查"]).verdict == "prohibited"
    v = decide(subject, situations=["证书信息网上可查"])
    assert v.verdict == "unconfirmed" and [f.label for f in v.questions] == ["禁办1b"]


def test_situation_of_an_item_without_prohibitions_is_a_warning(decide):
    v = decide("32", situations=["外省评的"])
    assert v.verdict == "ok"
    assert any("不在本事项的禁办清单中" in w for w in v.warnings)


def test_conditional_materials_need_their_tag(decide):
    with pytest.raises(UsageError, match="首次备案"):  # only for 首次备案: a question, not a silent match
        decide("1", case="用工备案", missing=["营业执照"])
    assert decide("1", case="用工备案", missing=["营业执照"], situations=["非首次备案"]).verdict == "ok"
    v = decide("1", case="用工备案", when=["首次备案"], missing=["营业执照"])
    assert v.verdict == "incomplete"


def test_case_is_required_where_materials_differ(decide):
    with pytest.raises(UsageError, match="--case 转入"):
        decide("10", missing=["本人鞍山市社会保障卡"])
    assert decide("10", case="转出").verdict == "ok"
    assert decide("10").verdict == "ok"  # nothing named, same time limit: the case does not matter


def test_due_date_on_the_chosen_channel(decide):
    v = decide("失业登记", channel="掌上办", date=D(2026, 9, 30))
    assert v.due_date == D(2026, 10, 15)  # 7 working days across National Day
    assert decide("失业登记", date=D(2026, 9, 30)).due_date is None  # 窗口即时办结


def test_due_date_into_2027_warns(decide):
    v = decide("31", date=D(2026, 12, 20))
    assert v.due_date is not None and v.due_date.year == 2027
    assert any("2027" in w for w in v.warnings)


def test_bad_input(decide):
    with pytest.raises(NotFoundError):
        decide("量子物理")
    with pytest.raises(NotFoundError, match="本情形需要的材料"):
        decide("4", missing=["飞机票"])
    with pytest.raises(UsageError):
        decide("4", channel="飞鸽")


# ── the command ──


def test_json_contract_and_exit_codes(run):
    r = run("check", "14", "--missing", "身份证复印件", "--date", "2026-12-01", "--format", "json")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert data["verdict"] == "tolerated"
    assert data["subject"] == {"kind": "item", "number": 14, "name": "流动人员人事档案转入", "id": None}
    assert data["correction_deadline"] == "2026-12-22"
    assert data["tolerated"][0]["source"] == "当事人提供"
    assert data["tolerated"][0]["list_material"] == "身份证复印件"
    assert data["questions"] == []
    for key in ("reasons", "missing", "tolerated", "due_date", "warnings"):
        assert key in data
    assert run("check", "15", "--missing", "调档函").exit_code == 4
    assert run("check", "18", "--situation", "外省市评审的职称证书").exit_code == 5
    assert run("check", "18").exit_code == 7
    bad = run("check", "4", "--date", "2026-13-45")
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.stderr


def test_panel_reads_in_one_glance(run):
    r = run("--no-color", "check", "14", "--missing", "身份证复印件", "--date", "2026-12-01")
    assert r.stdout.splitlines()[0].strip() == "【容缺受理（补正截止 2026-12-22）】"
    r = run("check", "18", "-s", "外省市评审的职称证书", "--format", "plain")
    assert r.stdout.startswith("【不予受理（禁办：提供外省市职称评审材料办理补发证书）】")


def test_unprohibited_situation_at_the_window(decide):
    assert decide("18", situations=["本市评审的职称证书"]).verdict == "ok"


def test_holiday_overlay_is_read_and_an_empty_one_needs_no_parser() -> None:
    from pathlib import Path

    from rsguide.check import workdays

    shipped = (Path(workdays.__file__).with_name("holidays.yaml")).read_text(encoding="utf-8")
    assert workdays.read_overlay(shipped) == {}
    text = "# 说明\nyears:\n  2031:\n    holidays: [2031-01-01]\n    workdays: [2031-01-04]\n"
    holidays, extra = workdays.read_overlay(text)[2031]
    assert dt.date(2031, 1, 1) in holidays and dt.date(2031, 1, 4) in extra


def test_an_acceptance_date_on_a_holiday_is_flagged(run) -> None:
    import json

    holiday = json.loads(run("check", "14", "--situation", "无", "--date", "2026-10-01", "-f", "json").stdout)
    assert any("2026-10-01 不是工作日" in w for w in holiday["warnings"])
    workday = json.loads(run("check", "14", "--situation", "无", "--date", "2026-12-01", "-f", "json").stdout)
    assert not any("不是工作日" in w for w in workday["warnings"])


def test_a_copy_nobody_asked_for_leaves_the_document_checked(run) -> None:
    import json

    data = json.loads(
        run("check", "14", "--when", "代办", "--missing", "代办人身份证复印件", "--situation", "无", "-f", "json").stdout
    )
    assert data["verdict"] == "ok"
    assert "代办人员有效身份证件" in data["present"]
    assert any("证件本身须出示" in w for w in data["warnings"])
