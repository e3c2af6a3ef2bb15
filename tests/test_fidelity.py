"""Fidelity of the knowledge base to its one source document.

Every expected value below was transcribed by hand from the source (the Anshan 人社局 list of
36 service items, the district window list, the 合规办事业务指南 and the 禁办 / 容缺 lists),
independently of data/*.yaml.  The tests compare those literals with the JSON the CLI prints
(``rsguide export --format json`` / ``rsguide show N --format json``), obtained in-process via
``kb_dict`` / ``item_dict``; two tests run the real command to prove it prints the same.

Matching is on meaning: a distinctive substring of the source's wording must appear in the
relevant field, after whitespace is removed and full-/half-width forms are unified (NFKC).
Fields the source gives verbatim and short (names, 禁办/容缺 rows) are compared exactly, modulo
whitespace only.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
from typing import Any

import pytest

from rsguide.kb.loader import load
from rsguide.output.serialize import item_dict, kb_dict

# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------

WIN, WEB, APP, SELF = "窗口办", "网上办", "掌上办", "自助办"
ALL_CHANNELS = (WIN, WEB, APP, SELF)
GGFW = "https://ggfw.lnrc.com.cn/ehrss/login/"
SI12333 = "http://si.12333.gov.cn/index.jhtml"
SHEBAO_WIN = "鞍山市社会保险事业服务中心综合窗口1-7号"
BANKS = "中国银行鞍山分行所有银行网点"

_CIRCLED = {c: i + 1 for i, c in enumerate("①②③④⑤⑥⑦⑧⑨⑩")}


def ws(s: str | None) -> str:
    """Remove all whitespace (incl. full-width spaces)."""
    return re.sub(r"\s+", "", s or "")


def norm(s: str | None) -> str:
    """Whitespace-free, width-unified text for robust substring matching."""
    return ws(unicodedata.normalize("NFKC", s or ""))


def contains(haystack: str | None, needle: str) -> bool:
    return norm(needle) in norm(haystack)


def canon_channel(c: str | None) -> str | None:
    # The source's 现场办 (items 18, 19) is an at-the-counter channel, i.e. 窗口办.
    return {"现场办": WIN}.get(c, c) if c else c


def label_number(label: str | None) -> int | None:
    if not label:
        return None
    label = label.strip()
    if label[0] in _CIRCLED:
        return _CIRCLED[label[0]]
    m = re.search(r"\d+", unicodedata.normalize("NFKC", label))
    return int(m.group()) if m else None


def case_id(item: dict[str, Any], case: str | None) -> str | None:
    """Resolve a case written as in the source to the item's case id."""
    if case is None:
        return None
    for c in item["cases"]:
        if case in (c["id"], c["name"]) or ws(case) in (ws(c["id"]), ws(c["name"])):
            return c["id"]
    raise AssertionError(f"item {item['number']}: no case {case!r} in {item['cases']!r}")


def groups_for(item: dict[str, Any], channel: str | None, case: str | None) -> list[dict[str, Any]]:
    """Material groups that apply to (channel, case); a group without channel/case applies to all."""
    cid = case_id(item, case)
    out = []
    for g in item["materials"]:
        if channel is not None and g["channel"] is not None and canon_channel(g["channel"]) != canon_channel(channel):
            continue
        if cid is not None and g["case"] is not None and g["case"] != cid:
            continue
        out.append(g)
    return out


def materials_matching(item: dict[str, Any], channel: str | None, case: str | None, sub: str) -> list[dict[str, Any]]:
    hits = []
    for g in groups_for(item, channel, case):
        for m in g["items"]:
            if contains(m["name"], sub) or contains(m["text"], sub):
                hits.append(m)
    return hits


def paths_for(item: dict[str, Any], channel: str, case: str | None) -> list[dict[str, Any]]:
    cid = case_id(item, case)
    return [
        p
        for p in item["paths"]
        if canon_channel(p["channel"]) == canon_channel(channel) and (cid is None or p["case"] in (None, cid))
    ]


def place_blob(pl: dict[str, Any]) -> str:
    # aliases are deliberately left out: a shared place's aliases must not vouch for one item's wording
    parts = [pl.get("name"), pl.get("address"), pl.get("url"), pl.get("text"), pl.get("windows")]
    return " ".join(p for p in parts if p)


def path_blob(p: dict[str, Any]) -> str:
    parts = [p.get("label"), p.get("text"), p.get("url")] + [place_blob(pl) for pl in p["places"]]
    return " ".join(x for x in parts if x)


def limits_for(item: dict[str, Any], channel: str, case: str | None) -> set[tuple[str, int | None]]:
    cid = case_id(item, case)
    out = set()
    for t in item["time_limits"]:
        chans = [canon_channel(c) for c in t["channels"]]
        if chans and canon_channel(channel) not in chans:
            continue
        if t["case"] is not None and t["case"] != cid:
            continue
        out.add((t["kind"], t["days"]))
    return out


def item_notes_blob(item: dict[str, Any]) -> str:
    parts = list(item["notes"])
    for p in item["paths"]:
        for pl in p["places"]:
            parts += pl.get("notes") or []
    for g in item["materials"]:
        parts += [g.get("note") or "", g.get("remark") or ""]
    return "\n".join(parts)


# ---------------------------------------------------------------------------------------------
# fixtures
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fkb():
    return load()


@pytest.fixture(scope="module")
def data(fkb) -> dict[str, Any]:
    # Round-trip through JSON so we compare exactly what the CLI prints.
    return json.loads(json.dumps(kb_dict(fkb), ensure_ascii=False))


@pytest.fixture(scope="module")
def items(data) -> dict[int, dict[str, Any]]:
    return {it["number"]: it for it in data["items"]}


# ---------------------------------------------------------------------------------------------
# 人社权力事项清单: number, name (as in the list), category, page
# ---------------------------------------------------------------------------------------------

CATEGORIES = {
    1: "就业失业登记服务事项",
    2: "失业保险服务事项",
    3: "流动人员人事档案管理服务",
    4: "人力资源市场事项",
    5: "专业技术职称事项",
    6: "企业职工养老保险服务",
    7: "机关事业单位养老保险服务",
    8: "工伤保险服务",
    9: "社会保障卡服务",
}

# number: (name in the 清单, category number, page)
LIST = {
    1: ("就业登记（用工备案）", 1, 12),
    2: ("失业登记", 1, 13),
    3: ("《就业创业证》申领", 1, 14),
    4: ("失业保险金申领", 2, 16),
    5: ("领取失业保险金人员申领丧葬补助金和抚恤金", 2, 17),
    6: ("女性领取失业保险金人员申领生育补助金", 2, 18),
    7: ("失业保险金异地转出", 2, 18),
    8: ("失业保险金异地转入", 2, 19),
    9: ("参加失业保险单位个人缴费补录数据", 2, 20),
    10: ("参加失业保险单位保险关系转移", 2, 21),
    11: ("失业保险缴费到账/划账（复核）", 2, 22),
    12: ("参加失业保险单位个人      基本信息/状态维护", 2, 22),
    13: ("个人失业原因修改变更", 2, 22),
    14: ("流动人员人事档案转入", 3, 23),
    15: ("流动人员人事档案转出", 3, 23),
    16: ("出具流动人员人事档案相关证明", 3, 24),
    17: ("人力资源服务许可审批", 4, 25),
    18: ("职称证书补发", 5, 26),
    19: ("直接确定专业技术职务", 5, 26),
    20: ("职工参保登记（企业）", 6, 27),
    21: ("单位参保证明查询打印", 6, 28),
    22: ("个人权益记录查询打印（企业）", 6, 29),
    23: ("城镇职工基本养老保险关系转移接续申请", 6, 30),
    24: ("职工正常退休（退职）申请", 6, 31),
    25: ("职工提前退休（退职）申请-特殊工种提前退休申请", 6, 32),
    26: ("职工提前退休（退职）申请-病残津贴申请", 6, 32),
    27: ("职工参保登记（机关事业）", 7, 33),
    28: ("缴费人员增减申报（机关事业）", 7, 34),
    29: ("个人权益记录查询打印（机关事业）", 7, 35),
    30: ("机关事业单位养老保险关系转移接续申请", 7, 36),
    31: ("伤残待遇申领（一次性伤残补助金、伤残津贴和生活护理费）", 8, 37),
    32: ("社会保障卡申领", 9, 38),
    33: ("社会保障卡补领、换领、换发", 9, 39),
    34: ("社会保障卡挂失与解挂", 9, 41),
    35: ("社会保障卡启用", 9, 42),
    36: ("社会保障卡应用状态查询", 9, 43),
}

# Guide headings that differ from the list name (other than by whitespace).
HEADINGS = {
    1: "用工备案（就业登记）",
    3: "就业创业证申领",
    24: "职工正常退休(职)申请",
}


def test_thirty_six_items(items):
    assert sorted(items) == list(range(1, 37))


def test_categories(data):
    cats = {c["id"]: c["name"] for c in data["categories"]}
    assert {k: ws(v) for k, v in cats.items()} == {k: ws(v) for k, v in CATEGORIES.items()}


@pytest.mark.parametrize("number", sorted(LIST))
def test_list_name_category_page(items, number):
    name, cat, page = LIST[number]
    it = items[number]
    assert ws(it["name"]) == ws(name)
    assert ws(it["category"]) == ws(CATEGORIES[cat])
    assert it["page"] == page


@pytest.mark.parametrize("number", sorted(LIST))
def test_guide_heading(items, number):
    it = items[number]
    if number in HEADINGS:
        assert ws(it["heading"]) == ws(HEADINGS[number])
    else:
        # the guide heading equals the list name (modulo whitespace): no separate heading, or the same one
        assert it["heading"] is None or ws(it["heading"]) == ws(LIST[number][0])


# ---------------------------------------------------------------------------------------------
# intro / 服务对象 / conditions / legal basis
# ---------------------------------------------------------------------------------------------

INTRO = [
    (1, "用人单位招（录、聘）用劳动者"),
    (1, "原则上不允许跨年办理"),
    (2, "劳动年龄内、有劳动能力、有就业要求、处于无业状态的城乡劳动者"),
    (2, "劳动年龄为年满16周岁（含）至依法享受基本养老保险待遇"),
    (2, "港澳台居民"),
    (3, "是就业登记和失业登记的书面载体"),
    (3, "在全省行政区域内通用"),
    (4, "失业人员失业前用人单位和本人失业保险累计缴费满1年"),
    (4, "失业人员非本人意愿中断就业"),
    (5, "失业人员在领取失业保险金期间死亡的，家属可申领丧葬补助金和抚恤金"),
    (6, "可一次性领取相当于本人3个月失业保险金标准的生育补助费"),
    (7, "户口为鞍山市以外的领取失业保险金人员可申请办理失业保险金异地转出"),
    (8, "户口为鞍山市的领取失业保险金人员可申请办理失业保险金异地转入"),
    (9, "市本级参加失业保险单位可申请办理个人缴费补录数据"),
    (10, "在职职工在本省内或向外省迁移"),
    (14, "非公有制经济组织和社会组织聘用人员"),
    (14, "未就业的高校毕业生及中专毕业生"),
    (14, "外国企业常驻代表机构的中方雇员"),
    (14, "自由职业或灵活就业人员"),
    (14, "其他流动人员"),
    (17, "《人力资源市场暂行条例》（国务院令第700号）第十八条第一款"),
    (17, "取得人力资源服务许可证"),
    (18, "鞍山市组织评审或省相关部门组织评审的证书补发"),
    (19, "在鞍山企事业单位工作并签订劳动合同的专业技术人员"),
    (19, "非国家、省统一考试专业"),
    (19, "全日制大学本科毕业满1年，从事相关专业工作满1年"),
    (19, "全日制大学专科毕业满3年，从事相关专业工作满3年"),
    (19, "全日制硕士研究生毕业满3年，从事相关专业工作满3年"),
    (20, "《中华人民共和国社会保险法》第五十八条"),
    (20, "自用工之日起三十日内"),
    (21, "用人单位和个人可以免费向社会保险经办机构查询、核对其缴费和享受社会保险待遇记录"),
    (22, "有权查询缴费记录、个人权益记录"),
    (23, "参保人员与用工单位建立劳动关系并参加养老保险后"),
    (23, "参保人员与用工单位解除劳动关系后"),
    (27, "用人单位应当自用工之日起三十日内为其职工向社会保险经办机构申请办理社会保险登记"),
    (28, "参保人员在省直机关事业单位间流动"),
    (29, "申请查询、核对其缴费记录和享受社会保险待遇记录"),
    (31, "经统筹地区劳动能力鉴定委员会鉴定为一级至十级伤残等级的"),
    (32, "鞍山市参保人员中未申请社会保障卡的参保人"),
    (33, "持卡人年满7周岁需要更换照片的"),
    (33, "社会保障卡有效期满的"),
    (34, "避免个人权益和账户资金受到侵害"),
    (35, "激活"),
    (36, "申请人了解社会保障卡使用状态"),
]


@pytest.mark.parametrize(("number", "sub"), INTRO)
def test_intro_conditions_legal_basis(items, number, sub):
    it = items[number]
    blob = "\n".join([it["intro"] or "", *it["conditions"], it["legal_basis"] or ""])
    assert contains(blob, sub), f"item {number}: {sub!r} not in intro/conditions/legal_basis"


# cases (sub-cases) the source distinguishes
CASES = {
    1: ["用工备案", "解除备案"],
    10: ["转入", "转出"],
    14: ["师范类、医学类", "其它专业类别"],
    15: ["师范类、医学类", "其它专业类别"],
    16: ["师范类、医学类", "其它专业类别"],
    18: ["鞍山市组织评审", "省相关部门组织评审"],
    19: ["初级职称", "中级职称"],
    23: ["转入申请", "转出申请"],
}


@pytest.mark.parametrize("number", sorted(CASES))
def test_cases(items, number):
    it = items[number]
    names = [c["name"] for c in it["cases"]] + [c["id"] for c in it["cases"]]
    for expected in CASES[number]:
        assert any(contains(n, expected) for n in names), f"item {number}: case {expected!r} missing"
    assert len(it["cases"]) == len(CASES[number])


# ---------------------------------------------------------------------------------------------
# N.1 需提供要件
# ---------------------------------------------------------------------------------------------

# (item, channel or None, case or None, distinctive substring of one material's name/text)
MATERIALS = [
    (1, WEB, "用工备案", "用人单位劳动合同"),
    (1, WIN, "用工备案", "劳动合同"),
    (1, WIN, "用工备案", "《单位新招用或续签人员用工备案（就业登记）申报表》"),
    (1, WIN, "用工备案", "劳动用工备案（单位就业）登记表"),
    (1, WIN, "用工备案", "五证合一的营业执照"),
    (1, WIN, "用工备案", "社会保险登记表"),
    (1, None, "解除备案", "用人单位与劳动者解除劳动关系证明"),
    (1, None, "解除备案", "《单位与劳动者终止劳动关系解除用工备案申报表》"),
    (2, WIN, None, "与为其最后缴纳失业保险单位的终止、解除劳动关系材料"),
    (3, WIN, None, "《辽宁省就业创业证》申领表"),
    (4, WIN, None, "本人鞍山市社会保障卡"),
    (4, WIN, None, "《劳动仲裁调解书》"),
    (4, WIN, None, "《劳动仲裁裁决书》"),
    (4, WIN, None, "《民事判决书》"),
    (4, WIN, None, "当事人委托书"),
    (4, WIN, None, "代办人身份证"),
    (5, WIN, None, "遗属身份证件"),
    (5, WIN, None, "失业人员死亡证明"),
    (5, WIN, None, "居民死亡医学证明书"),
    (5, WIN, None, "因死亡注销户口证明"),
    (5, WIN, None, "法院宣告死亡的生效判决书"),
    (5, WIN, None, "遗属与失业人员关系证明"),
    (5, WIN, None, "亲属关系公证书"),
    (5, WIN, None, "继承人中国银行卡账号"),
    (6, WIN, None, "一孩或二孩生育登记单"),
    (6, WIN, None, "医学出生证明"),
    (6, WIN, None, "身份证"),
    (6, WIN, None, "住院现金收据"),
    (7, WIN, None, "本人鞍山市社会保障卡"),
    (7, WIN, None, "带有银联字样的保障卡"),
    (7, WIN, None, "《失业保险关系接收证明》"),
    (7, WIN, None, "转入地失业保险经办机构出具"),
    (8, WIN, None, "失业人员待遇转移凭证"),
    (8, WIN, None, "本人鞍山市社会保障卡"),
    (8, WIN, None, "当事人委托书"),
    (8, WIN, None, "代办人身份证"),
    (9, WIN, None, "数据补录人身份证"),
    (9, WIN, None, "养老保险手册"),
    (9, WIN, None, "数据补录期间单位工资单及相关财务账簿和凭证"),
    (9, WIN, None, "破产证明材料"),
    (10, WIN, "转入", "《失业保险参保人员跨地区转移就业有关情况登记表》"),
    (10, WIN, "转入", "《军人服现役年限视同失业保险缴费年限证明》"),
    (10, WIN, "转出", "本人鞍山市社会保障卡"),
    (10, WIN, "转出", "委托书"),
    (10, WIN, "转出", "代办人身份证"),
    (11, WIN, None, "税票/缴费凭证"),
    (12, WIN, None, "营业执照"),
    (12, WIN, None, "变更手续"),
    (12, WIN, None, "开户行信息"),
    (12, WIN, None, "法人身份证"),
    (12, WIN, None, "当事人身份证"),
    (13, WIN, None, "情况说明"),
    (13, WIN, None, "解除劳动合同证明"),
    (14, WIN, None, "存档人员有效身份证件"),
    (14, WIN, None, "户口本"),
    (14, WIN, None, "代办人员有效身份证件"),
    (14, WIN, None, "报到通知单"),
    (15, WIN, None, "有效身份证件"),
    (15, WIN, None, "代办人员有效身份证件"),
    (15, WIN, None, "档案人员授权委托书"),
    (15, WIN, None, "具有人事档案管理权限的部门开具的调档函"),
    (16, WIN, None, "有效身份证件"),
    (17, WIN, None, "《辽宁省人力资源服务行政许可申请表》"),
    (17, WIN, None, "营业执照"),
    (17, WIN, None, "人力资源服务公司章程和管理制度"),
    (17, WIN, None, "告知承诺书"),
    (18, WIN, None, "《辽宁省专业技术资格评定表》"),
    (18, WIN, None, "身份证"),
    (18, WIN, None, "一寸白底免冠照片"),
    (19, WIN, None, "《辽宁省大、中专毕业生确定专业技术职务审核表》"),
    (19, WIN, None, "劳动关系证明材料"),
    (19, WIN, None, "毕业证"),
    (19, WIN, None, "身份证"),
    (19, WIN, None, "一寸照片"),
    (20, WIN, None, "职工个人基本信息"),
    (21, WIN, None, "经办人身份证"),
    (22, WIN, None, "身份证"),
    (24, WIN, None, "《企业职工基本养老保险退休时间申请书》"),
    (24, WIN, None, "户口本"),
    (24, WIN, None, "职工档案"),
    (24, WIN, None, "工资台账"),
    (25, WIN, None, "《企业职工基本养老保险特殊工种提前退休申请书》"),
    (25, WIN, None, "《职工从事特殊工种岗位认定表》"),
    (25, WIN, None, "《企业承诺书》"),
    (25, WIN, None, "身份证"),
    (25, WIN, None, "户口本"),
    (25, WIN, None, "职工档案"),
    (25, WIN, None, "工资台账"),
    (26, WIN, None, "《职工非因工伤残或因病丧失劳动能力程度鉴定结论通知单》"),
    (26, WIN, None, "《企业职工基本养老保险领取病残津贴申请书》"),
    (26, WIN, None, "身份证"),
    (26, WIN, None, "户口本"),
    (26, WIN, None, "职工档案"),
    (26, WIN, None, "工资台账"),
    (27, WEB, None, "人员编制及领导职数核定单"),
    (27, WIN, None, "《机关事业单位社会保险参保人员 月业务申报项目表》"),
    (27, WIN, None, "人员编制及领导职数核定单"),
    (28, WIN, None, "人员调转审批表"),
    (30, WIN, None, "机关事业单位人员（出）入编制单"),
    (30, WIN, None, "事业单位公开招聘人员备案表"),
    (30, WIN, None, "公务员录用审批表"),
    (30, WIN, None, "新增职业年金记账缴费人员情况备案表"),
    (30, WIN, None, "公务员（工作人员）专任审批表"),
    (30, WIN, None, "干部任免审批表"),
    (29, WIN, None, "身份证"),
    (31, WIN, None, "工伤职工社会保障卡"),
    (31, WIN, None, "符合条件的银行卡、存折"),
    (32, WIN, None, "身份证"),
    (33, WIN, None, "身份证"),
    (34, WIN, None, "身份证"),
    (34, WIN, None, "社会保障卡"),
    (35, WIN, None, "身份证"),
    (35, WIN, None, "社会保障卡"),
    (36, WIN, None, "社会保障卡"),
]


@pytest.mark.parametrize(("number", "channel", "case", "sub"), MATERIALS)
def test_material_present(items, number, channel, case, sub):
    hits = materials_matching(items[number], channel, case, sub)
    assert hits, f"item {number} {channel}/{case}: no material with {sub!r}"


# Materials the source restricts to one case must not leak into the other case.
MATERIALS_ABSENT = [
    (1, WEB, "用工备案", "申报表"),  # “网上办”需要提供用人单位劳动合同 only
    (1, WEB, "用工备案", "营业执照"),
    (1, None, "解除备案", "营业执照"),
    (10, WIN, "转入", "社会保障卡"),
    (10, WIN, "转出", "跨地区转移就业有关情况登记表"),
]


@pytest.mark.parametrize(("number", "channel", "case", "sub"), MATERIALS_ABSENT)
def test_material_absent(items, number, channel, case, sub):
    assert not materials_matching(items[number], channel, case, sub)


# The numbered lists of the source: (item, channel, case) -> numbers ①② … / （1）（2） …
LABELS = [
    (1, WIN, "用工备案", {1, 2, 3, 4, 5}),
    (1, None, "解除备案", {1, 2}),
    (4, WIN, None, {1, 2, 3}),
    (5, WIN, None, {1, 2, 3, 4}),
    (6, WIN, None, {1, 2, 3, 4}),
    (7, WIN, None, {1, 2}),
    (8, WIN, None, {1, 2, 3}),
    (9, WIN, None, {1, 2, 3, 4}),
    (10, WIN, "转入", {1, 2}),
    (10, WIN, "转出", {1, 2}),
    (13, WIN, None, {1, 2}),
    (17, WIN, None, {1, 2, 3, 4}),
    (19, WIN, None, {1, 2, 3}),
    (24, WIN, None, {1, 2, 3, 4}),
    (25, WIN, None, {1, 2, 3, 4, 5, 6}),
    (26, WIN, None, {1, 2, 3, 4, 5}),
    (30, WIN, None, {1, 2, 3, 4, 5, 6}),
    (34, WIN, None, {1, 2}),
    (35, WIN, None, {1, 2}),
]


@pytest.mark.parametrize(("number", "channel", "case", "labels"), LABELS)
def test_material_numbering(items, number, channel, case, labels):
    got = {label_number(m["label"]) for g in groups_for(items[number], channel, case) for m in g["items"]}
    assert got == labels


_ = None  # "not stated by the source, do not check"

# (item, channel, case, material substring, form, copies)
FORMS = [
    (1, WIN, "用工备案", "劳动合同", "原件", _),
    (1, WIN, "用工备案", "用工备案（就业登记）申报表", _, 2),
    (1, None, "解除备案", "解除劳动关系证明", "原件", _),
    (1, None, "解除备案", "解除用工备案申报表", _, 2),
    (4, WIN, None, "劳动仲裁调解书", "复印件", 1),
    (4, WIN, None, "当事人委托书", "原件", 1),
    (4, WIN, None, "代办人身份证", "复印件", 1),
    (5, WIN, None, "死亡证明", "原件", _),
    (5, WIN, None, "关系证明", "原件", _),
    (5, WIN, None, "继承人中国银行卡账号", "复印件", 1),
    (6, WIN, None, "生育登记单", "复印件", 1),
    (6, WIN, None, "医学出生证明", "复印件", 1),
    (6, WIN, None, "身份证", "复印件", 1),
    (6, WIN, None, "住院现金收据", "原件", _),
    (8, WIN, None, "失业人员待遇转移凭证", "原件", 1),
    (8, WIN, None, "当事人委托书", "原件", 1),
    (8, WIN, None, "代办人身份证", "复印件", 1),
    (9, WIN, None, "数据补录人身份证", "复印件", 1),
    (9, WIN, None, "养老保险手册", "原件及复印件", _),
    (9, WIN, None, "单位工资单", "原件", _),
    (9, WIN, None, "破产证明材料", "原件及复印件", _),
    (10, WIN, "转出", "委托书", "原件", _),
    (10, WIN, "转出", "代办人身份证", "复印件", 1),
    (12, WIN, None, "法人身份证", "复印件", _),
    (12, WIN, None, "当事人身份证", "复印件", _),
    (13, WIN, None, "解除劳动合同证明", "复印件", _),
    (18, WIN, None, "辽宁省专业技术资格评定表", "原件及复印件", _),
    (18, WIN, None, "身份证", "原件及复印件", _),
    (18, WIN, None, "一寸白底免冠照片", _, 1),
    (19, WIN, None, "确定专业技术职务审核表", _, 2),
    (19, WIN, None, "身份证", "原件及复印件", _),
    (19, WIN, None, "一寸照片", _, 3),
    (25, WIN, None, "身份证", "复印件", _),
    (25, WIN, None, "户口本", "复印件", _),
    (26, WIN, None, "身份证", "复印件", _),
    (26, WIN, None, "户口本", "复印件", _),
    (27, WEB, None, "人员编制及领导职数核定单", "复印件", _),
    (27, WIN, None, "月业务申报项目表", _, 1),
    (27, WIN, None, "人员编制及领导职数核定单", _, 1),
]


@pytest.mark.parametrize(("number", "channel", "case", "sub", "form", "copies"), FORMS)
def test_material_form_and_copies(items, number, channel, case, sub, form, copies):
    hits = materials_matching(items[number], channel, case, sub)
    assert hits, f"item {number}: no material with {sub!r}"
    ok = [m for m in hits if (form is None or m["form"] == form) and (copies is None or m["copies"] == copies)]
    assert ok, (
        f"item {number} {sub!r}: expected form={form} copies={copies}, got {[(m['form'], m['copies']) for m in hits]}"
    )


# Details the source attaches to a material: (item, channel, case, material substring, detail substring)
DETAILS = [
    (1, WIN, "用工备案", "劳动合同", "不留存"),
    (1, WIN, "用工备案", "五证合一的营业执照", "企业开户"),
    (1, WIN, "用工备案", "社会保险登记表", "企业开户"),
    (4, WIN, None, "本人鞍山市社会保障卡", "已开通金融功能"),
    (4, WIN, None, "代办人身份证", "正反面"),
    (5, WIN, None, "死亡证明", "火化证明"),
    (5, WIN, None, "死亡证明", "殓验证"),
    (5, WIN, None, "关系证明", "结婚证"),
    (5, WIN, None, "关系证明", "居民户口簿"),
    (6, WIN, None, "身份证", "正反面"),
    (7, WIN, None, "本人鞍山市社会保障卡", "银联"),
    (8, WIN, None, "代办人身份证", "正反面"),
    (10, WIN, "转出", "代办人身份证", "正反面"),
    (10, WIN, "转入", "军人服现役年限", "军人"),
    (17, WIN, None, "营业执照", "副本"),
    (17, WIN, None, "营业执照", "已与市场监管部门建立数据共享机制的地区可不再提供"),
    (17, WIN, None, "人力资源服务公司章程和管理制度", "可告知承诺"),
    (19, WIN, None, "确定专业技术职务审核表", "鞍山市人社局网站职称发证栏目下载"),
    (19, WIN, None, "劳动关系证明材料", "劳动合同和养老保险缴费证明"),
    (19, WIN, None, "一寸照片", "两张贴在表格上，一张办理证书"),
    (20, WIN, None, "职工个人基本信息", "可以通过共享数据获取企业劳动用工信息的无需提供"),
    (24, WIN, None, "工资台账", "能够证明职工当时工作单位和年限的原始材料"),
    (24, WIN, None, "《企业职工基本养老保险退休时间申请书》", "职工本人签字"),
    (25, WIN, None, "特殊工种提前退休申请书", "职工本人签字"),
    (25, WIN, None, "工资台账", "能够证明工作经历的相关材料"),
    (26, WIN, None, "领取病残津贴申请书", "职工本人签字"),
    (27, WIN, None, "人员编制及领导职数核定单", "机构编制部门开具"),
    (31, WIN, None, "工伤职工社会保障卡", "存折"),
]


@pytest.mark.parametrize(("number", "channel", "case", "sub", "detail"), DETAILS)
def test_material_detail(items, number, channel, case, sub, detail):
    hits = materials_matching(items[number], channel, case, sub)
    assert hits, f"item {number}: no material with {sub!r}"
    assert any(contains(" ".join(x for x in (m["name"], m["text"], m["remark"]) if x), detail) for m in hits), (
        f"item {number} {sub!r}: detail {detail!r} missing"
    )


# Remarks the source makes about a whole list of materials (group text / remark / note / item notes)
GROUP_REMARKS = [
    (1, WIN, "用工备案", "可容缺受理"),
    (1, WIN, "用工备案", "④⑤为单位首次备案提供"),
    (2, WIN, None, "可容缺受理"),
    (2, WIN, None, "其他情况，政策允许、可通过软件查询的，无需提供相关材料"),
    (9, WIN, None, "以下所有材料必须有单位公章"),
    (12, WIN, None, "根据实际情况与业务选择留存"),
    (13, WIN, None, "以下所有材料必须有甲方单位公章及乙方指印"),
    (28, WIN, None, "省中心关于此事项要件暂未统一"),
    (30, WIN, None, "省中心关于此事项要件暂未统一"),
]


@pytest.mark.parametrize(("number", "channel", "case", "sub"), GROUP_REMARKS)
def test_material_group_remark(items, number, channel, case, sub):
    it = items[number]
    parts = list(it["notes"])
    for g in groups_for(it, channel, case):
        parts += [g["text"] or "", g["remark"] or "", g["note"] or ""]
        parts += [(m["text"] or "") + (m["remark"] or "") for m in g["items"]]
    assert contains("\n".join(parts), sub), f"item {number}: {sub!r} not recorded"


# (item, channel, case, material substring, condition tag)
WHEN = [
    (1, WIN, "用工备案", "五证合一的营业执照", "首次备案"),
    (1, WIN, "用工备案", "社会保险登记表", "首次备案"),
    (2, WIN, None, "终止、解除劳动关系材料", "申领失业金"),
    (4, WIN, None, "劳动仲裁调解书", "劳动争议"),
    (4, WIN, None, "当事人委托书", "代办"),
    (4, WIN, None, "代办人身份证", "代办"),
    (8, WIN, None, "当事人委托书", "代办"),
    (8, WIN, None, "代办人身份证", "代办"),
    (9, WIN, None, "破产证明材料", "破产企业"),
    (10, WIN, "转入", "军人服现役年限", "军人"),
    (10, WIN, "转出", "委托书", "代办"),
    (10, WIN, "转出", "代办人身份证", "代办"),
    (14, WIN, None, "报到通知单", "2022年12月之前毕业"),
    (14, WIN, None, "代办人员有效身份证件", "代办"),
    (15, WIN, None, "代办人员有效身份证件", "代办"),
    (24, WIN, None, "工资台账", "档案记载不清"),
]


@pytest.mark.parametrize(("number", "channel", "case", "sub", "tag"), WHEN)
def test_conditional_material(items, number, channel, case, sub, tag):
    hits = materials_matching(items[number], channel, case, sub)
    assert hits
    assert all(tag in m["when"] for m in hits), [m["when"] for m in hits]


def test_condition_tags_defined(data):
    tags = {t for _n, _c, _k, _s, t in WHEN}
    assert tags <= set(data["conditions"])
    assert "2022年12月" in data["conditions"]["2022年12月之前毕业"]


# Materials every applicant brings: no condition attached.
UNCONDITIONAL = [
    (1, WIN, "用工备案", "劳动用工备案（单位就业）登记表"),
    (1, WIN, "用工备案", "用工备案（就业登记）申报表"),
    (4, WIN, None, "本人鞍山市社会保障卡"),
    (8, WIN, None, "失业人员待遇转移凭证"),
    (9, WIN, None, "数据补录人身份证"),
    (10, WIN, "转出", "本人鞍山市社会保障卡"),
    (14, WIN, None, "存档人员有效身份证件"),
    (14, WIN, None, "户口本"),
    (24, WIN, None, "职工档案"),
]


@pytest.mark.parametrize(("number", "channel", "case", "sub"), UNCONDITIONAL)
def test_unconditional_material(items, number, channel, case, sub):
    # match on the material's name only: another, conditional material may quote it in its text
    hits = [m for m in materials_matching(items[number], channel, case, sub) if contains(m["name"], sub)]
    assert hits
    assert all(m["when"] == [] for m in hits)


# (item, channel): the source says nothing is needed
NONE_REQUIRED = [
    (2, APP),
    (3, APP),
    (4, WEB),
    (4, APP),
    (7, WEB),
    (8, WEB),
    (23, WIN),
    (23, WEB),
    (23, APP),
]

# (item, channel): the source lists something to bring
SOMETHING_REQUIRED = [(1, WEB), (1, WIN), (2, WIN), (3, WIN), (4, WIN), (7, WIN), (8, WIN), (27, WEB), (27, WIN)]


@pytest.mark.parametrize(("number", "channel"), NONE_REQUIRED)
def test_none_required(items, number, channel):
    groups = groups_for(items[number], channel, None)
    assert groups, f"item {number} {channel}: no material group at all"
    assert all(g["none_required"] and not g["items"] for g in groups)


def test_item_23_says_none(items):
    assert any(g["none_required"] and contains(g["text"], "无") for g in items[23]["materials"])


@pytest.mark.parametrize(("number", "channel"), SOMETHING_REQUIRED)
def test_something_required(items, number, channel):
    groups = groups_for(items[number], channel, None)
    assert any(g["items"] for g in groups)
    assert not any(g["none_required"] for g in groups)


# 资料来源：申请人 (items 21, 22, 29, 31–36)
SOURCE_APPLICANT = [
    (21, "经办人身份证"),
    (22, "身份证"),
    (29, "身份证"),
    (31, "工伤职工社会保障卡"),
    (32, "身份证"),
    (33, "身份证"),
    (34, "身份证"),
    (34, "社会保障卡"),
    (35, "身份证"),
    (35, "社会保障卡"),
    (36, "社会保障卡"),
]


@pytest.mark.parametrize(("number", "sub"), SOURCE_APPLICANT)
def test_material_source_applicant(items, number, sub):
    hits = materials_matching(items[number], None, None, sub)
    assert hits
    assert any(m["source"] == "申请人" for m in hits)


# Number of materials per (item, channel, case) where the source lists each document separately
COUNTS = [
    (1, WEB, "用工备案", 1),
    (2, WIN, None, 1),
    (3, WIN, None, 1),
    (5, WIN, None, 4),
    (6, WIN, None, 4),
    (7, WIN, None, 2),
    (9, WIN, None, 4),
    (10, WIN, "转入", 2),
    (11, WIN, None, 1),
    (12, WIN, None, 5),
    (13, WIN, None, 2),
    (14, WIN, None, 4),
    (15, WIN, None, 4),
    (16, WIN, None, 1),
    (17, WIN, None, 4),
    (18, WIN, None, 3),
    (20, WIN, None, 1),
    (21, WIN, None, 1),
    (22, WIN, None, 1),
    (24, WIN, None, 4),
    (27, WEB, None, 1),
    (28, WIN, None, 1),
    (29, WIN, None, 1),
    (30, WIN, None, 6),
    (31, WIN, None, 1),
    (32, WIN, None, 1),
    (33, WIN, None, 1),
    (34, WIN, None, 2),
    (35, WIN, None, 2),
    (36, WIN, None, 1),
]


@pytest.mark.parametrize(("number", "channel", "case", "count"), COUNTS)
def test_material_count(items, number, channel, case, count):
    assert sum(len(g["items"]) for g in groups_for(items[number], channel, case)) == count


@pytest.mark.parametrize(("number", "sub"), [(17, "国务院令第700号"), (20, "《中华人民共和国社会保险法》第五十八条")])
def test_legal_basis(items, number, sub):
    assert contains(items[number]["legal_basis"], sub)


def test_item_17_charter_tolerated_by_commitment(items):
    hits = materials_matching(items[17], None, None, "人力资源服务公司章程和管理制度")
    assert hits
    assert any(contains(m["tolerance"], "告知承诺") for m in hits)


# ---------------------------------------------------------------------------------------------
# N.2 办理路径
# ---------------------------------------------------------------------------------------------

CHANNELS = {
    1: {WIN, WEB},
    2: {WIN, APP},
    3: {WIN, APP},
    4: {WIN, WEB, APP},
    5: {WIN},
    6: {WIN},
    7: {WIN, WEB},
    8: {WIN, WEB},
    9: {WIN},
    10: {WIN},
    11: {WIN},
    12: {WIN},
    13: {WIN},
    14: {WIN},
    15: {WIN, WEB},
    16: {WIN},
    17: {WIN, WEB},
    18: {WIN},  # 现场办
    19: {WIN},  # 现场办
    20: {WIN, WEB},
    21: {WIN, WEB},
    22: {WIN, WEB, APP, SELF},
    23: {WIN, WEB, APP},
    24: {WIN, WEB},
    25: {WIN, WEB},
    26: {WIN, WEB},
    27: {WIN, WEB},
    28: {WIN, WEB},
    29: {WIN, WEB, SELF},
    30: {WIN, WEB},
    31: {WIN, WEB},
    32: {WIN, WEB, APP},
    33: {WIN, WEB, APP},
    34: {WIN, WEB, APP},
    35: {WIN, WEB, APP},
    36: {WIN, WEB, APP},
}


@pytest.mark.parametrize("number", sorted(CHANNELS))
def test_channels_offered(items, number):
    it = items[number]
    assert {canon_channel(c) for c in it["channels"]} == CHANNELS[number]
    assert {canon_channel(p["channel"]) for p in it["paths"]} == CHANNELS[number]


@pytest.mark.parametrize("number", [18, 19])
def test_onsite_wording_kept(items, number):
    # the source calls these 现场办
    assert all("现场办" in (p["label"] or "", p["channel"]) for p in items[number]["paths"])


# (item, channel, case, substring of the path text / URL / place)
PATHS = [
    (1, WIN, None, "市、区（县）级公共就业服务机构"),
    (1, WEB, None, "辽宁省人力资源和社会保障公共服务平台"),
    (1, WEB, None, GGFW),
    (2, WIN, None, "户籍地、常住地、就业地、参保地公共就业服务机构（含街道、乡镇基层服务平台）"),
    (2, WIN, None, "社区服务平台可代办"),
    (2, WIN, None, "就业地指失业人员失业前进行就业登记、劳动用工备案的地点"),
    (2, APP, None, "掌上12333"),
    (2, APP, None, "辽事通APP"),
    (3, WIN, None, "所在地公共就业服务机构"),
    (3, WIN, None, "社区服务平台可代办"),
    (3, APP, None, "辽事通APP—更多—就业创业—辽宁省《就业创业证》申领"),
    (4, WIN, None, "辽宁省内任一失业保险业务经办窗口"),
    (4, WEB, None, "辽宁省人力资源和社会保障公共服务平台"),
    (4, WEB, None, GGFW),
    (4, APP, None, "掌上12333"),
    (4, APP, None, "失业保险金网上申领"),
    (5, WIN, None, "参保地任一失业保险业务经办窗口"),
    (6, WIN, None, "参保地任一失业保险业务经办窗口"),
    (7, WIN, None, "参保地任一失业保险业务经办窗口"),
    (7, WEB, None, "国家社会保险公共服务平台"),
    (7, WEB, None, SI12333),
    (7, WEB, None, "失业保险转移模块"),
    (8, WIN, None, "参保地任一失业保险业务经办窗口"),
    (8, WEB, None, "国家社会保险公共服务平台"),
    (8, WEB, None, SI12333),
    (8, WEB, None, "失业保险转移模块"),
    (9, WIN, None, "铁西三道街81号人就中心大厅综合服务窗口"),
    (10, WIN, None, "各县（市）区按照属地化管理"),
    (10, WIN, None, "铁西区三道街81号"),
    (10, WIN, None, "人就中心大厅综合业务窗口"),
    (11, WIN, None, "各县（市）区按照属地化管理"),
    (11, WIN, None, "铁西区三道街81号"),
    (12, WIN, None, "各县（市）区按照属地化管理"),
    (12, WIN, None, "铁西区三道街81号"),
    (13, WIN, None, "各县（市）区按照属地化管理"),
    (13, WIN, None, "铁西区三道街81号"),
    (14, WIN, "师范类、医学类", "铁西区三道街81号"),
    (14, WIN, "师范类、医学类", "劳动大厦院后楼"),
    (14, WIN, "其它专业类别", "铁东区莘英路889号"),
    (14, WIN, "其它专业类别", "一楼综合业务窗口"),
    (15, WIN, "师范类、医学类", "劳动大厦院后楼"),
    (15, WIN, "其它专业类别", "莘英路889号"),
    (15, WEB, None, "https://ggfw.lnrc.com.cn/ehrss/login"),
    (15, WEB, None, "辽宁省人力资源和社会保障公共服务平台"),
    (15, WEB, None, "档案服务"),
    (16, WIN, "师范类、医学类", "劳动大厦院后楼"),
    (16, WIN, "其它专业类别", "莘英路889号"),
    (17, WIN, None, "各县（市）区人社局经办窗口"),
    (17, WEB, None, "www.lnzwfu.gov.cn"),
    (18, WIN, None, "铁东区莘英路889号"),
    (18, WIN, None, "市人社局"),
    (19, WIN, "初级职称", "单位所属的县（市）区人社部门"),
    (19, WIN, "初级职称", "市直属单位在各主管部门"),
    (19, WIN, "初级职称", "县（市）区事业单位在所属县区人社部门"),
    (19, WIN, "中级职称", "铁东区莘英路889号"),
    (20, WIN, None, SHEBAO_WIN),
    (20, WEB, None, "辽宁政务服务网"),
    (20, WEB, None, GGFW),
    (21, WIN, None, SHEBAO_WIN),
    (21, WEB, None, "辽宁政务服务网"),
    (21, WEB, None, GGFW),
    (22, WIN, None, SHEBAO_WIN),
    (22, WEB, None, "辽宁政务服务网"),
    (22, WEB, None, GGFW),
    (22, APP, None, "掌上12333APP"),
    (22, APP, None, "辽宁人社APP"),
    (22, APP, None, "支付宝APP"),
    (22, SELF, None, "鞍山市社会保险事业服务中心自助查询打印机"),
    (23, WIN, None, SHEBAO_WIN),
    (23, WEB, None, "辽宁政务服务网"),
    (23, WEB, None, GGFW),
    (23, APP, None, "掌上12333APP"),
    (23, APP, None, "辽宁人社APP"),
    (23, APP, None, "支付宝APP"),
    (24, WIN, None, "鞍山市铁东区莘英路899号"),
    (24, WIN, None, "鞍山市人力资源和社会保障局"),
    (24, WEB, None, "辽宁省人力资源和社会保障公共服务平台"),
    (24, WEB, None, GGFW),
    (25, WIN, None, "莘英路899号"),
    (25, WEB, None, GGFW),
    (26, WIN, None, "莘英路899号"),
    (26, WEB, None, GGFW),
    (27, WIN, None, SHEBAO_WIN),
    (27, WEB, None, "辽宁政务服务网"),
    (27, WEB, None, GGFW),
    (28, WIN, None, SHEBAO_WIN),
    (28, WEB, None, "辽宁政务服务网"),
    (28, WEB, None, GGFW),
    (29, WIN, None, SHEBAO_WIN),
    (29, WEB, None, "辽宁政务服务网"),
    (29, WEB, None, GGFW),
    (29, SELF, None, "自助查询打印机"),
    (30, WIN, None, SHEBAO_WIN),
    (30, WEB, None, "辽宁政务服务网"),
    (30, WEB, None, GGFW),
    (31, WIN, None, SHEBAO_WIN),
    (31, WEB, None, "辽宁省人力资源和社会保障公共服务平台"),
    (31, WEB, None, GGFW),
    (32, WIN, None, BANKS),
    (
        32,
        WIN,
        None,
        "鞍山银行、工商银行鞍山分行、农业银行鞍山分行、建设银行鞍山分行、辽宁农商银行、交通银行鞍山分行部分网点",
    ),
    (32, WEB, None, "国家社会保险公共服务平台"),
    (32, WEB, None, SI12333),
    (32, WEB, None, "ret_url"),
    (32, APP, None, "掌上12333APP"),
    (32, APP, None, "电子社保卡APP"),
    (32, APP, None, "支付宝或微信辽宁社会保障卡小程序"),
    (32, APP, None, "辽事通APP"),
    (33, WIN, None, BANKS),
    (33, WIN, None, "交通银行鞍山分行"),
    (33, WEB, None, "国家社会保险公共服务平台"),
    (33, WEB, None, SI12333),
    (33, APP, None, "掌上12333APP"),
    (33, APP, None, "电子社保卡APP"),
    (33, APP, None, "跨省通办渠道"),
    (34, WIN, None, BANKS),
    (34, WIN, None, "各社保经办机构服务大厅也可咨询办理"),
    (34, WEB, None, "辽宁省人力资源和社会保障公共服务平台"),
    (34, WEB, None, GGFW),
    (34, APP, None, "掌上12333APP"),
    (34, APP, None, "电子社保卡APP"),
    (34, APP, None, "支付宝或微信辽宁社会保障卡小程序"),
    (34, APP, None, "辽事通APP"),
    (35, WIN, None, BANKS),
    (35, WIN, None, "各社保经办机构服务大厅"),
    (35, WEB, None, "辽宁省人力资源和社会保障公共服务平台"),
    (35, WEB, None, GGFW),
    (35, APP, None, "支付宝或微信辽宁社会保障卡小程序"),
    (35, APP, None, "辽事通APP"),
    (36, WIN, None, BANKS),
    (36, WIN, None, "各社保经办机构服务大厅"),
    (36, WEB, None, "辽宁省人力资源和社会保障公共服务平台"),
    (36, WEB, None, GGFW),
    (36, APP, None, "支付宝或微信辽宁社会保障卡小程序"),
]


@pytest.mark.parametrize(("number", "channel", "case", "sub"), PATHS)
def test_path(items, number, channel, case, sub):
    paths = paths_for(items[number], channel, case)
    assert paths, f"item {number}: no {channel} path for {case}"
    assert any(contains(path_blob(p), sub) for p in paths), f"item {number} {channel}/{case}: {sub!r} missing"


# Things the source does NOT offer on that channel / case
PATHS_ABSENT = [
    (3, APP, None, "12333"),
    (14, WIN, "师范类、医学类", "莘英路"),
    (14, WIN, "其它专业类别", "三道街"),
    (19, WIN, "中级职称", "县（市）区人社部门"),
    (33, APP, None, "辽事通"),
    (33, APP, None, "小程序"),
    (35, APP, None, "12333"),
    (36, APP, None, "辽事通"),
    (36, APP, None, "12333"),
]


@pytest.mark.parametrize(("number", "channel", "case", "sub"), PATHS_ABSENT)
def test_path_absent(items, number, channel, case, sub):
    cid = case_id(items[number], case)
    paths = [p for p in paths_for(items[number], channel, case) if cid is None or p["case"] == cid]
    assert paths
    assert not any(contains(path_blob(p), sub) for p in paths)


# ---------------------------------------------------------------------------------------------
# N.3 办理时限
# ---------------------------------------------------------------------------------------------

IMM = ("immediate", None)


def wd(n: int) -> tuple[str, int]:
    return ("working_days", n)


# (item, channel, case, (kind, days))
TIME_LIMITS = [
    (1, WIN, None, wd(5)),
    (1, WEB, None, wd(5)),
    (2, WIN, None, IMM),
    (2, WEB, None, wd(7)),
    (2, APP, None, wd(7)),
    (3, WIN, None, IMM),
    (3, APP, None, wd(7)),
    (4, WIN, None, IMM),
    (4, WEB, None, IMM),
    (4, APP, None, wd(5)),
    (5, WIN, None, IMM),
    (6, WIN, None, IMM),
    (7, WIN, None, IMM),
    (7, WEB, None, IMM),
    (8, WIN, None, IMM),
    (8, WEB, None, IMM),
    (9, WIN, None, IMM),
    (10, WIN, None, IMM),
    (11, WIN, None, IMM),
    (12, WIN, None, IMM),
    (13, WIN, None, IMM),
    (14, WIN, None, IMM),
    (15, WIN, None, IMM),
    (15, WEB, None, IMM),
    (16, WIN, None, IMM),
    (17, WIN, None, wd(20)),
    (17, WEB, None, wd(20)),
    (18, WIN, "鞍山市组织评审", IMM),
    (18, WIN, "省相关部门组织评审", ("text", None)),
    (19, WIN, None, IMM),
    (20, WIN, None, IMM),
    (20, WEB, None, IMM),
    (21, WIN, None, IMM),
    (21, WEB, None, IMM),
    (22, WIN, None, IMM),
    (22, WEB, None, IMM),
    (22, APP, None, IMM),
    (22, SELF, None, IMM),
    (23, WIN, None, IMM),
    (23, WEB, None, IMM),
    (23, APP, None, IMM),
    (24, WIN, None, IMM),
    (24, WEB, None, IMM),
    (25, WIN, None, IMM),
    (25, WEB, None, IMM),
    (26, WIN, None, IMM),
    (26, WEB, None, IMM),
    (27, WIN, None, IMM),
    (27, WEB, None, IMM),
    (28, WIN, None, IMM),
    (28, WEB, None, IMM),
    (29, WIN, None, IMM),
    (29, WEB, None, IMM),
    (29, SELF, None, IMM),
    (30, WIN, None, IMM),
    (30, WEB, None, IMM),
    (31, WIN, None, wd(15)),
    (31, WEB, None, wd(15)),
    (32, WIN, None, IMM),
    (32, WEB, None, wd(5)),
    (32, APP, None, wd(5)),
    (33, WIN, None, IMM),
    (33, APP, None, wd(5)),
    (34, WIN, None, IMM),
    (34, WEB, None, IMM),
    (34, APP, None, IMM),
    (35, WIN, None, IMM),
    (35, WEB, None, IMM),
    (35, APP, None, IMM),
    (36, WIN, None, IMM),
    (36, WEB, None, IMM),
    (36, APP, None, IMM),
]


@pytest.mark.parametrize(("number", "channel", "case", "expected"), TIME_LIMITS)
def test_time_limit(items, number, channel, case, expected):
    assert limits_for(items[number], channel, case) == {expected}


def test_item_33_web_has_no_time_limit(items):
    # 33.3 gives only “窗口办” and “掌上办”; nothing may be invented for 网上办
    assert limits_for(items[33], WEB, None) == set()


# Verbatim wording of N.3
TIME_TEXT = {
    1: "5个工作日内办结",
    2: "窗口即时办结；网上办、掌上办7个工作日内办结",
    3: "窗口即时办结；掌上办7个工作日内办结",
    4: "掌上12333APP办理5个工作日内；其他路径即时办结",
    5: "即时办结",
    6: "即时办结",
    7: "即时办结",
    8: "即时办结",
    9: "即时办结",
    10: "即时办结",
    11: "即时办结",
    12: "即时办结",
    13: "即时办结",
    14: "即时办结",
    15: "即时办结",
    16: "即时办结",
    17: "20工作日",
    18: "省相关部门组织评审的职称证书信息由鞍山市人社局上报省人社厅，发证时间以省人社厅邮寄返回时间为准",
    19: "即时办结",
    20: "即时办结",
    21: "即时办结",
    22: "即时办结",
    23: "即时办结",
    24: "符合条件，即时办结",
    25: "符合条件，即时办结",
    26: "符合条件，即时办结",
    27: "即时办结",
    28: "即时办结",
    29: "即时办结",
    30: "即时办理",
    31: "15个工作日",
    32: "“网上办”5个工作日（从申请到发生邮寄）",
    33: "“掌上办”5个工作日（从申请到发生邮寄）",
    34: "即时办结",
    35: "即时办结",
    36: "即时办结",
}


@pytest.mark.parametrize("number", sorted(TIME_TEXT))
def test_time_limit_text(items, number):
    assert contains(items[number]["time_limit_text"], TIME_TEXT[number])


def test_item_18_first_case_text(items):
    assert contains(items[18]["time_limit_text"], "鞍山市组织评审的职称证书补发即来即办")


# ---------------------------------------------------------------------------------------------
# N.4 温馨提示 and the phones named there
# ---------------------------------------------------------------------------------------------

SHEBAO_TIP = "我们为您提供预约服务和延时服务"
TIPS = [
    (1, "建议您优先选择“网上办”方式"),
    (1, "建议您采取就近原则到所在地区就业创业经办窗口办理"),
    (2, "建议您优先选择“网上办”或“掌上办”方式办理"),
    (3, "加盖电子印章的就业创业电子证与纸质证具有同等效力"),
    (4, "建议您采取就近原则到省内任一失业保险经办窗口办理"),
    (5, "审核通过后，下月支付"),
    (5, "与社保中心办理的丧葬补助金和抚恤金不能同时兼得，只能选择一个"),
    (6, "审核通过后，下月支付"),
    (7, "失业保险金待遇转出地只能是失业人员户口所在地"),
    (8, "可以等到账后到窗口办理转入手续，再做停发"),
    (9, "参保单位负责办理，工资单必须有补录人明细"),
    (10, "转入单位名称需提供准确信息"),
    (14, "0412-2216349（师范类、医学类）"),
    (14, "0412-5517322（其它专业类别）"),
    (15, "0412-2216349（师范类、医学类）"),
    (16, "0412-5517322（其它专业类别）"),
    (17, "建议您优先选择“网上办”方式"),
    (20, SHEBAO_TIP),
    (20, "0412-5580303、5596188咨询投诉"),
    (21, SHEBAO_TIP),
    (22, SHEBAO_TIP),
    (23, SHEBAO_TIP),
    (24, "档案预审请提前预约"),
    (24, "5542127"),
    (25, "档案预审请提前预约"),
    (26, "档案预审请提前预约"),
    (27, SHEBAO_TIP),
    (28, SHEBAO_TIP),
    (29, SHEBAO_TIP),
    (30, SHEBAO_TIP),
    (31, SHEBAO_TIP),
    (32, "立等可取"),
    (32, "“一站式”服务"),
    (32, "以邮寄的方式把社保卡邮寄您网上申请时留存的收件地址"),
    (32, "市社保中心咨询电0412-5580303、5596188"),
    (33, "从申请到通知邮局取件为5个工作日办结，邮寄到达日期不包含在办结日内"),
    (34, "建议您优先选择“掌上办”方式自助办理挂失或解挂"),
    (35, "建议您优先选择“掌上办”方式"),
    (36, "建议您优先选择“掌上办”方式"),
]


@pytest.mark.parametrize(("number", "sub"), TIPS)
def test_tips(items, number, sub):
    assert contains("\n".join(items[number]["tips"]), sub)


@pytest.mark.parametrize("number", [11, 12, 13, 18, 19])
def test_no_tips_where_source_has_none(items, number):
    assert items[number]["tips"] == []


SHEBAO_PHONES = [("0412-5580303", None), ("5596188", None)]
# item -> [(number as written, label substring or None)]
PHONES = {
    **{n: [] for n in (*range(1, 14), 17, 18, 19)},
    **{n: [("0412-2216349", "师范类、医学类"), ("0412-5517322", "其它专业类别")] for n in (14, 15, 16)},
    **{n: [("0412-5580303", "咨询投诉"), ("5596188", "咨询投诉")] for n in (20, 21, 22, 23, 27, 28, 29, 30, 31)},
    **{n: [("5542127", None)] for n in (24, 25, 26)},
    **{n: [("0412-5580303", "咨询"), ("5596188", "咨询")] for n in (32, 33, 34, 35, 36)},
}


@pytest.mark.parametrize("number", sorted(PHONES))
def test_item_phones(items, number):
    got = items[number]["phones"]
    assert sorted(ws(p["number"]) for p in got) == sorted(n for n, _l in PHONES[number])
    for num, label in PHONES[number]:
        if label is not None:
            assert any(ws(p["number"]) == num and contains(p["label"], label) for p in got), (num, label)


# ---------------------------------------------------------------------------------------------
# 县（市）区办事窗口地址 and city venues
# ---------------------------------------------------------------------------------------------

# (序号 as printed, name, address, phone)
DISTRICT_WINDOWS = [
    (1, "铁东区劳动就业和社会保障服务中心", "铁东区安乐街中华南路152甲", "0412-5550117"),
    (2, "铁西区人力资源就业服务中心", "铁西区千山西路30栋", "0412-7166410"),
    (3, "立山区就业和人才服务中心", "鞍千路178号立山区人力资源和社会保障局", "0412-8772012"),
    (4, "千山区人力资源和社会保障服务中心", "铁西区永发街道同兴街16号（旧堡日新小区3-1号）", "0412-2311811"),
    (5, "高新区人力资源和社会保障办", "鞍山市激光产业园越岭路261号", "0412-5223383"),
    (6, "鞍山经济开发区管委会劳动医疗保障办", "铁西区建设大道709号", "0412-8433306"),
    (8, "海城市劳动就业服务中心", "海城市站前街2号", "0412-3308600"),
    (8, "台安县劳动和社会保障事务服务中心", "台安县繁荣北街86号", "0412-4950008"),
    (9, "岫岩满族自治县人力资源事务服务中心", "岫岩县中心街57号", "0412-7730588"),
]


def _district_windows(data):
    return [o for o in data["offices"] if o["kind"] == "district_window"]


def test_nine_district_windows_two_numbered_8(data):
    wins = _district_windows(data)
    assert len(wins) == 9
    assert sorted(o["number"] for o in wins) == [1, 2, 3, 4, 5, 6, 8, 8, 9]
    eights = [o for o in wins if o["number"] == 8]
    assert all(any("8" in n and "7" in n for n in o["notes"]) for o in eights), "the duplicate 8 needs a note"


@pytest.mark.parametrize(("number", "name", "address", "phone"), DISTRICT_WINDOWS)
def test_district_window(data, number, name, address, phone):
    matches = [o for o in _district_windows(data) if ws(o["name"]) == ws(name)]
    assert len(matches) == 1, name
    o = matches[0]
    assert o["number"] == number
    assert ws(o["address"]) == ws(address)
    assert [ws(p) for p in o["phones"]] == [phone]


def _places(item, channel, case=None):
    return [pl for p in paths_for(item, channel, case) for pl in p["places"]]


# (item, channel, case, address substring or None for "no address in the source", phones given by the source)
CITY_VENUES = [
    (9, WIN, None, "三道街81号", []),
    (10, WIN, None, "铁西区三道街81号", []),
    (14, WIN, "师范类、医学类", "铁西区三道街81号", ["0412-2216349"]),
    (14, WIN, "其它专业类别", "铁东区莘英路889号", ["0412-5517322"]),
    (18, WIN, None, "铁东区莘英路889号", []),
    (19, WIN, "中级职称", "铁东区莘英路889号", []),
    (24, WIN, None, "鞍山市铁东区莘英路899号", ["5542127"]),
    (25, WIN, None, "莘英路899号", ["5542127"]),
    (26, WIN, None, "莘英路899号", ["5542127"]),
    (20, WIN, None, None, ["0412-5580303", "5596188"]),
    (31, WIN, None, None, ["0412-5580303", "5596188"]),
]


@pytest.mark.parametrize(("number", "channel", "case", "address", "phones"), CITY_VENUES)
def test_city_venue(items, number, channel, case, address, phones):
    it = items[number]
    cid = case_id(it, case)
    places = [pl for p in paths_for(it, channel, case) if cid is None or p["case"] == cid for pl in p["places"]]
    assert places
    if address is None:
        venue = [pl for pl in places if contains(pl["name"], "鞍山市社会保险事业服务中心")]
        assert venue and all(pl["address"] is None for pl in venue), "the source gives no address"
        assert any(contains(pl["name"] + (pl["windows"] or ""), "1-7号") for pl in venue)
        assert any(contains("\n".join(pl["notes"]), "地址") for pl in venue), "missing address needs a note"
    else:
        venue = [pl for pl in places if contains(pl["address"], address)]
        assert venue, f"no place at {address!r}"
    known = {ws(x) for pl in venue for x in pl["phones"]} | {ws(p["number"]) for p in it["phones"]}
    for ph in phones:
        assert ph in known


def test_shebao_center_phones_on_venue(data):
    o = [o for o in data["offices"] if contains(o["name"], "鞍山市社会保险事业服务中心综合窗口")]
    assert len(o) == 1
    assert set(o[0]["phones"]) == {"0412-5580303", "5596188"}
    assert o[0]["address"] is None


@pytest.mark.parametrize("phone", ["5596188", "5542127"])
def test_phones_without_area_code_kept_as_written(data, phone):
    holders = [o for o in data["offices"] if phone in o["phones"]]
    holders_items = [it for it in data["items"] if any(p["number"] == phone for p in it["phones"])]
    assert holders or holders_items
    assert not any(f"0412-{phone}" in o["phones"] for o in data["offices"])
    notes = "\n".join(n for o in holders for n in o["notes"]) + "\n".join(
        n for it in holders_items for n in it["notes"]
    )
    assert phone in notes and "0412" in notes and "区号" in notes


# ---------------------------------------------------------------------------------------------
# Inconsistencies of the source: kept as written, with a note
# ---------------------------------------------------------------------------------------------

# (item, keywords that must all appear in the notes of the item or of its places/material groups)
INCONSISTENCY_NOTES = [
    (1, ["可容缺受理", "容缺办理事项清单"]),
    (2, ["可容缺受理", "容缺办理事项清单"]),
    (1, ["就业登记（用工备案）", "用工备案（就业登记）"]),
    (3, ["《就业创业证》申领", "就业创业证申领"]),
    (24, ["职工正常退休（退职）申请", "职工正常退休(职)申请"]),
    (9, ["铁西三道街81号"]),
    (17, ["20工作日"]),
    (14, ["889", "899"]),
    (15, ["889", "899"]),
    (16, ["889", "899"]),
    (18, ["889", "899"]),
    (19, ["889", "899"]),
    (24, ["899", "889"]),
    (25, ["899", "889"]),
    (26, ["899", "889"]),
    (20, ["辽宁政务服务网"]),
    (21, ["辽宁政务服务网"]),
    (22, ["辽宁政务服务网"]),
    (23, ["辽宁政务服务网"]),
    (27, ["辽宁政务服务网"]),
    (28, ["辽宁政务服务网"]),
    (29, ["辽宁政务服务网"]),
    (30, ["辽宁政务服务网"]),
    (17, ["lnzwfu"]),
    (20, ["5596188"]),
    (24, ["5542127"]),
]


@pytest.mark.parametrize(("number", "keywords"), INCONSISTENCY_NOTES)
def test_inconsistency_noted(items, number, keywords):
    blob = item_notes_blob(items[number])
    for kw in keywords:
        assert contains(blob, kw), f"item {number}: note mentioning {kw!r} missing"


@pytest.mark.parametrize("number", [6, 7, 11, 12, 13])
def test_shared_page_noted(items, number):
    page = str(LIST[number][2])
    assert any("页码" in n and page in n for n in items[number]["notes"])


def test_item_17_time_limit_kept_as_written(items):
    assert "20工作日" in ws(items[17]["time_limit_text"])
    assert "20个工作日" not in ws(items[17]["time_limit_text"])


def test_address_889_vs_899_kept(items):
    def addresses(n):
        return " ".join(pl["address"] or "" for p in items[n]["paths"] for pl in p["places"])

    for n in (24, 25, 26):
        assert "莘英路899号" in addresses(n) and "889" not in addresses(n)
    for n in (14, 15, 16, 18):
        assert "莘英路889号" in addresses(n) and "899" not in addresses(n)


def test_item_9_address_kept_as_written(items):
    # 9.2 writes 铁西三道街81号 (without 区)
    assert any("铁西三道街81号" in ws(p["text"]) for p in items[9]["paths"])


def test_items_20_to_30_label_the_url_as_written(items):
    for n in (20, 21, 22, 23, 27, 28, 29, 30):
        assert any("辽宁政务服务网" in ws(p["text"]) for p in paths_for(items[n], WEB, None)), n
    for n in (1, 4, 24, 25, 26, 31, 34, 35, 36):
        assert any("辽宁省人力资源和社会保障公共服务平台" in ws(p["text"]) for p in paths_for(items[n], WEB, None)), n


def test_item_2_web_channel_mentioned_without_path(items):
    # 2.3 and 2.4 talk about “网上办” but 2.2 offers only 窗口办 and 掌上办
    assert contains(items[2]["time_limit_text"], "网上办")
    assert any("网上办" in n for n in items[2]["notes"])


# ---------------------------------------------------------------------------------------------
# 违规禁办事项清单 and 容缺办理事项清单
# ---------------------------------------------------------------------------------------------

# (序号, 禁办事项 without its numeral, 禁办情形 verbatim, linked item or None)
PROHIBITED = [
    (1, "遗失技能人员职业资格证书补发证明的申请", ["证书信息网上不可查", "不是原证书颁发机构所发的证书"], None),
    (2, "免费职业技能培训报名", ["劳动者身份不符合政策文件中要求的十二类人员身份，不享受免费职业技能培训。"], None),
    (3, "外省市评审的职称证书补发", ["提供外省市职称评审材料办理补发证书"], 18),
    (4, "外省市报名的职业资格考试证书补发", ["提供外省市考试合格登记表办理补发证书"], None),
    (5, "非全日制学历的直接确定专业技术职务", ["提供非全日制学历办理直接确定专业技术职务"], 19),
    (6, "非评审专业的直接确定专业技术职务", ["国家、省组织统一考试的专业办理直接确定专业技术职务"], 19),
]


def test_six_prohibited_rows(data):
    assert [r["number"] for r in data["rules"]["prohibited"]] == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize(("number", "subject", "cases", "item"), PROHIBITED)
def test_prohibited_row(data, number, subject, cases, item):
    rows = [r for r in data["rules"]["prohibited"] if r["number"] == number]
    assert len(rows) == 1
    r = rows[0]
    assert ws(r["subject"]) == ws(subject)
    assert [ws(c["text"]) for c in r["cases"]] == [ws(c) for c in cases]
    assert r["item"] == item
    if item is None:
        assert r["rule_subject"], "a subject that is not one of the 36 items must be named as a rule subject"


def test_prohibited_row_1_case_numbers(data):
    r = next(r for r in data["rules"]["prohibited"] if r["number"] == 1)
    assert [c["number"] for c in r["cases"]] == [1, 2]


# (序号, 业务事项, 可容缺资料, 资料来源, 补正时间 verbatim, linked item, correction kind, days)
TOLERATED = [
    (
        1,
        "免费职业技能培训",
        "就业创业证",
        "公共就业服务机构通过信息化系统内部核查学员失业状态。",
        "现场查询",
        None,
        "on_site_check",
        None,
    ),
    (2, "流动人员人事档案转入", "身份证复印件", "当事人提供", "15个工作日", 14, "working_days", 15),
    (3, "出具流动人员人事档案相关证明", "身份证复印件", "当事人提供", "15个工作日", 16, "working_days", 15),
    (
        4,
        "人力资源服务许可审批",
        "人力资源服务公司章程和管理制度",
        "当事人提供",
        "实行告知承诺制",
        17,
        "commitment",
        None,
    ),
]


def test_four_tolerated_rows(data):
    assert [r["number"] for r in data["rules"]["tolerated"]] == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("number", "subject", "material", "source", "correction_text", "item", "kind", "days"), TOLERATED
)
def test_tolerated_row(data, number, subject, material, source, correction_text, item, kind, days):
    rows = [r for r in data["rules"]["tolerated"] if r["number"] == number]
    assert len(rows) == 1
    r = rows[0]
    assert ws(r["subject"]) == ws(subject)
    assert ws(r["material"]) == ws(material)
    assert ws(r["source"]) == ws(source)
    assert ws(r["correction_text"]) == ws(correction_text)
    assert r["item"] == item
    assert r["correction"] == {"kind": kind, "days": days}
    if item is None:
        assert r["rule_subject"]


RULE_SUBJECTS_NOT_ITEMS = ["技能人员职业资格证书补发证明", "免费职业技能培训", "外省市报名的职业资格考试证书补发"]


@pytest.mark.parametrize("name", RULE_SUBJECTS_NOT_ITEMS)
def test_rule_subjects_not_among_items(data, name):
    names = [s["name"] for s in data["rules"]["subjects"]] + [
        a for s in data["rules"]["subjects"] for a in s["aliases"]
    ]
    assert any(contains(n, name) for n in names)
    assert not any(contains(it["name"], name) for it in data["items"])


# item -> (prohibited row numbers, tolerated row numbers) as shown on the item
ITEM_RULES = {n: ([], []) for n in range(1, 37)}
ITEM_RULES.update({18: ([3], []), 19: ([5, 6], []), 14: ([], [2]), 16: ([], [3]), 17: ([], [4])})


@pytest.mark.parametrize("number", sorted(ITEM_RULES))
def test_item_rules(items, number):
    prohibited, tolerated = ITEM_RULES[number]
    rules = items[number]["rules"]
    assert sorted(r["number"] for r in rules["prohibited"]) == prohibited
    assert sorted(r["number"] for r in rules["tolerated"]) == tolerated


# ---------------------------------------------------------------------------------------------
# The CLI prints the same data
# ---------------------------------------------------------------------------------------------


def _cli(tmp_path, *args: str) -> Any:
    env = dict(os.environ)
    env["RSGUIDE_CACHE_DIR"] = str(tmp_path)
    env.pop("RSGUIDE_DATA", None)
    proc = subprocess.run(
        [sys.executable, "-m", "rsguide", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.parametrize("number", [4, 14, 24])
def test_cli_show_matches_in_process(tmp_path, fkb, number):
    printed = _cli(tmp_path, "show", str(number), "--format", "json")
    expected = json.loads(json.dumps(item_dict(fkb, fkb.item(number)), ensure_ascii=False))
    assert printed == expected
    assert printed["number"] == number and ws(printed["name"]) == ws(LIST[number][0])


def test_cli_show_4_facts(tmp_path):
    printed = _cli(tmp_path, "show", "4", "--format", "json")
    assert limits_for(printed, APP, None) == {wd(5)}
    assert limits_for(printed, WIN, None) == {IMM}
    hits = materials_matching(printed, WIN, None, "当事人委托书")
    assert any(m["form"] == "原件" and m["copies"] == 1 and "代办" in m["when"] for m in hits)


def test_cli_export_matches_in_process(tmp_path, data):
    printed = _cli(tmp_path, "export", "--format", "json")
    assert printed == data


# ---------------------------------------------------------------------------------------------
# Structure: facts attached where the source attaches them (issue 19)
#
# Each expectation below is read from the source sentence it quotes, not from data/*.yaml, and is
# checked both in the structured JSON (condition, case, channel, place kind, limit qualifier, unit)
# and in what the clerk sees on screen (`rsguide show / materials / offices --item / notice`).
# ---------------------------------------------------------------------------------------------


def _plain(run, *args: str) -> str:
    if args[:1] == ("show",):
        args = (*args, "--full")  # the whole card: its sections are what these tests read
    result = run(*args, "--format", "plain")
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _json(run, *args: str) -> Any:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _section(text: str, title: str) -> str:
    """The lines of the plain-text section 【title…】 up to the next blank line."""
    start = text.index("【" + title)
    end = text.find("\n\n", start)
    return text[start : end if end >= 0 else len(text)]


# ── 1. Items 14 and 16: the 容缺 list tolerates the copy, the guide requires the ID document ──
# 14.1 "存档人员有效身份证件，户口本，代办人员有效身份证件。"  16.1 "存档人员需提供有效身份证件。"
# 容缺办理事项清单 2 "流动人员人事档案转入 | 身份证复印件 | 当事人提供 | 15个工作日", 3 "出具流动人员人事档案相关证明 | 身份证复印件 …"


@pytest.mark.parametrize("number", [14, 16])
def test_tolerated_copy_is_attached_to_the_id_document(items, run, number):
    it = items[number]
    (doc,) = [m for g in it["materials"] for m in g["items"] if m["name"] == "存档人员有效身份证件"]
    assert doc["tolerated_copy"] == "身份证复印件"  # the list's words
    assert doc["tolerance"] is None  # the document itself is not tolerated
    assert [r["material"] for r in it["rules"]["tolerated"]] == ["身份证复印件"]

    listing = _plain(run, "materials", str(number))
    row = next(line for line in listing.splitlines() if line.startswith("1 存档人员有效身份证件"))
    assert "证件本身须出示" in row and "可容缺的是身份证复印件" in row and "15个工作日" in row
    tolerated = _section(listing, "可容缺受理")
    assert "可容缺：身份证复印件（指南要件“存档人员有效身份证件”的复印件" in tolerated
    assert "可容缺：存档人员有效身份证件" not in tolerated
    data = _json(run, "materials", str(number))
    assert data["tolerated"] == [
        {
            "material": "身份证复印件",
            "source": "当事人提供",
            "correction": "15个工作日",
            "copy_of": "存档人员有效身份证件",
        }
    ]
    card = _plain(run, "show", str(number))
    assert "指南要件“存档人员有效身份证件”的复印件，证件本身须出示" in _section(card, "容缺受理")


def test_notice_tolerates_the_copy_and_asks_for_the_id(run):
    text = _plain(run, "notice", "16", "--missing", "身份证复印件", "--date", "2026-12-01")
    line = next(x for x in text.splitlines() if "☐ 1. 存档人员有效身份证件" in x)
    assert "身份证复印件本次缺少，已容缺受理" in line and "存档人员有效身份证件本身须出示" in line
    assert "缺少的材料：身份证复印件" in text
    assert "缺少的材料：存档人员有效身份证件" not in text


# ── 2. Item 27: the window materials are those of new enrolment, which the item is ──
# 27.1 ② "窗口办理人员新参保业务的单位填报《机关事业单位社会保险参保人员 月业务申报项目表》一份，
#         并提供由机构编制部门开具的人员编制及领导职数核定单一份"

ITEM_27_WINDOW = ["《机关事业单位社会保险参保人员 月业务申报项目表》", "人员编制及领导职数核定单"]


def test_item_27_window_materials_are_required(items, run):
    window = [m for g in groups_for(items[27], WIN, None) for m in g["items"]]
    assert [m["name"] for m in window] == ITEM_27_WINDOW
    assert all(m["when"] == [] and m["copies"] == 1 and m["unit"] == "份" for m in window)
    assert "新参保" not in items[27]["condition_tags"]
    assert not contains(item_notes_blob(items[27]), "其他窗口业务源文件未列要件")
    data = _json(run, "materials", "27")
    assert [m["name"] for m in data["required"]] == ITEM_27_WINDOW and data["conditional"] == []
    notice = _plain(run, "notice", "27", "--date", "2026-12-01")
    assert "☐ 1. 《机关事业单位社会保险参保人员 月业务申报项目表》（1份）" in notice
    assert "☐ 2. 由机构编制部门开具的人员编制及领导职数核定单（1份）" in notice  # who issues it (27.1 ②)


# ── 3. Item 1: 用工备案 and 解除备案 are two lists, each with its own note ──
# 1.1 "（一）用工备案（就业登记）所需材料：… “窗口办”需要提供以下要件（可容缺受理）：①…⑤ 注:④⑤为单位首次备案提供"
#     "（二）解除备案所需材料：①用人单位与劳动者解除劳动关系证明原件；②《单位与劳动者终止劳动关系解除用工备案申报表》（一式两份）。"


def test_item_1_materials_grouped_by_case(run):
    text = _plain(run, "materials", "1")
    filing = _section(text, "需提供的材料 · 用工备案（就业登记）")
    ending = _section(text, "需提供的材料 · 解除备案")
    assert "1 劳动合同" in filing and "注:④⑤为单位首次备案提供" in filing and "可容缺受理" in filing
    assert (
        "1 用人单位与劳动者解除劳动关系证明" in ending and "2 《单位与劳动者终止劳动关系解除用工备案申报表》" in ending
    )
    assert "注:④⑤" not in ending and "可容缺受理" not in ending
    data = _json(run, "materials", "1")
    sections = {s["case"]: s for s in data["sections"]}
    assert [m["name"] for m in sections["解除备案"]["required"]] == [
        "用人单位与劳动者解除劳动关系证明",
        "《单位与劳动者终止劳动关系解除用工备案申报表》",
    ]
    assert sections["解除备案"]["notes"] == [] and sections["解除备案"]["conditional"] == []
    assert sections["用工备案"]["notes"] == ["可容缺受理", "注:④⑤为单位首次备案提供"]
    assert [m["name"] for m in sections["用工备案"]["conditional"]] == ["五证合一的营业执照", "社会保险登记表"]


# A material's channel, case and condition, as the source attaches them:
# (item, material name, channel of its group (None: the source does not split by channel), case, condition tags)
MATERIAL_STRUCTURE = [
    (1, "用人单位劳动合同", WEB, "用工备案", []),
    (1, "劳动合同", WIN, "用工备案", []),
    (1, "五证合一的营业执照", WIN, "用工备案", ["首次备案"]),
    (1, "社会保险登记表", WIN, "用工备案", ["首次备案"]),
    (1, "用人单位与劳动者解除劳动关系证明", None, "解除备案", []),  # "（二）解除备案所需材料" names no channel
    (2, "与为其最后缴纳失业保险单位的终止、解除劳动关系材料", WIN, None, ["申领失业金"]),
    (4, "本人鞍山市社会保障卡", WIN, None, []),
    (4, "《劳动仲裁调解书》《劳动仲裁裁决书》或《民事判决书》", WIN, None, ["劳动争议"]),
    (4, "当事人委托书", WIN, None, ["代办"]),
    (9, "破产证明材料", None, None, ["破产企业"]),
    (10, "《军人服现役年限视同失业保险缴费年限证明》", WIN, "转入", ["军人"]),
    (10, "本人鞍山市社会保障卡", WIN, "转出", []),
    (10, "本人委托书", WIN, "转出", ["代办"]),
    (14, "存档人员有效身份证件", None, None, []),
    (14, "代办人员有效身份证件", None, None, ["代办"]),
    (14, "报到通知单", None, None, ["2022年12月之前毕业"]),
    (16, "存档人员有效身份证件", None, None, []),
    (24, "工资台账、劳动合同等能够证明职工当时工作单位和年限的原始材料", None, None, ["档案记载不清"]),
    (27, "人员编制及领导职数核定单", WEB, None, []),
    (27, "《机关事业单位社会保险参保人员 月业务申报项目表》", WIN, None, []),
]


@pytest.mark.parametrize(("number", "name", "channel", "case", "when"), MATERIAL_STRUCTURE)
def test_material_channel_case_and_condition(items, number, name, channel, case, when):
    found = [(g, m) for g in items[number]["materials"] for m in g["items"] if m["name"] == name]
    matching = [
        (g, m) for g, m in found if canon_channel(g["channel"]) == channel and g["case"] == case_id(items[number], case)
    ]
    assert matching, f"item {number} {name!r}: groups {[(g['channel'], g['case']) for g, _ in found]}"
    assert all(m["when"] == when for _g, m in matching), [m["when"] for _g, m in matching]


# ── 4. Places: the source's generic wording is the place; the district windows only for reference ──
# 1.2 "①窗口办：市、区（县）级公共就业服务机构"   4.2 "①窗口办：辽宁省内任一失业保险业务经办窗口"
# 10.2–13.2 "窗口办：各县（市）区按照属地化管理，市本级受理地址为铁西区三道街81号…"   17.2 "①窗口办：各县（市）区人社局经办窗口"
# 19.2 "（1）初级职称：企业单位：单位所属的县（市）区人社部门；事业单位：市直属单位在各主管部门、县（市）区事业单位在所属县区人社部门"

# (item, case, the kinds of place of its window path, generic wording that must be a place)
WINDOW_PLACE_KINDS = [
    (1, None, {"generic", "reference"}, "市、区（县）级公共就业服务机构"),
    (2, None, {"generic"}, "户籍地、常住地、就业地、参保地公共就业服务机构（含街道、乡镇基层服务平台）"),
    (3, None, {"generic"}, "所在地公共就业服务机构（含街道、乡镇基层服务平台）"),
    (4, None, {"generic"}, "辽宁省内任一失业保险业务经办窗口"),
    (5, None, {"generic"}, "参保地任一失业保险业务经办窗口"),
    (6, None, {"generic"}, "参保地任一失业保险业务经办窗口"),
    (7, None, {"generic"}, "参保地任一失业保险业务经办窗口"),
    (8, None, {"generic"}, "参保地任一失业保险业务经办窗口"),
    (9, None, {"named"}, None),
    (10, None, {"generic", "named", "reference"}, "各县（市）区按照属地化管理"),
    (11, None, {"generic", "named", "reference"}, "各县（市）区按照属地化管理"),
    (12, None, {"generic", "named", "reference"}, "各县（市）区按照属地化管理"),
    (13, None, {"generic", "named", "reference"}, "各县（市）区按照属地化管理"),
    (14, "师范类、医学类", {"named"}, None),
    (14, "其它专业类别", {"named"}, None),
    (15, "师范类、医学类", {"named"}, None),
    (16, "其它专业类别", {"named"}, None),
    (17, None, {"generic", "reference"}, "各县（市）区人社局经办窗口"),
    (18, None, {"named"}, None),
    (19, "初级职称", {"generic", "reference"}, "市直属单位在各主管部门"),
    (19, "中级职称", {"named"}, None),
    *[(n, None, {"named"}, None) for n in (20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33)],
    *[(n, None, {"named", "generic"}, "各社保经办机构服务大厅") for n in (34, 35, 36)],
]


@pytest.mark.parametrize(("number", "case", "kinds", "wording"), WINDOW_PLACE_KINDS)
def test_window_place_kind(items, number, case, kinds, wording):
    cid = case_id(items[number], case)
    (path,) = [p for p in paths_for(items[number], WIN, case) if p["case"] == cid]
    where = path["where"]
    assert {w["kind"] for w in where} == kinds
    if wording:
        assert any(w["kind"] == "generic" and contains(w["text"], wording) for w in where)
        assert all(contains(path["text"], w["text"]) for w in where if w["kind"] == "generic"), "verbatim wording"
    for w in where:
        if w["kind"] == "reference":
            assert w["text"] == "本市县（市）区办事窗口，供参考" and len(w["offices"]) == 9
        else:  # neither a named place nor the generic wording is one of the nine district windows
            assert all(o["kind"] != "district_window" for o in w["offices"])
    assert all(o["kind"] != "district_window" for o in path["places"])


def test_item_4_any_window_in_liaoning_is_not_the_nine(run):
    text = _plain(run, "offices", "--item", "4")
    assert "窗口办：辽宁省内任一失业保险业务经办窗口" in _section(text, "办理地点（源文件原文，泛指")
    assert "铁东区劳动就业和社会保障服务中心" not in text and "供参考" not in text
    assert all(e["kind"] != "district_window" for e in _json(run, "offices", "--item", "4"))
    notice = _plain(run, "notice", "4", "--date", "2026-12-01")
    assert "窗口办：辽宁省内任一失业保险业务经办窗口" in notice
    assert "铁东区劳动就业和社会保障服务中心" not in notice


def test_item_17_is_not_sent_to_a_district_window(run):
    text = _plain(run, "offices", "--item", "17")
    label = text.index("【本市县（市）区办事窗口，供参考（源文件未指明具体窗口）】")
    assert "窗口办：各县（市）区人社局经办窗口" in _section(text, "办理地点（源文件原文，泛指")
    assert text.index("铁东区劳动就业和社会保障服务中心") > label
    entries = _json(run, "offices", "--item", "17")
    generic = [e for e in entries if e["role"] == "generic"]
    assert [(e["name"], e["path"]["channel"]) for e in generic] == [("各县（市）区人社局经办窗口", WIN)]
    windows = [e for e in entries if e["kind"] == "district_window"]
    assert len(windows) == 9 and all(e["role"] == "reference" for e in windows)
    notice = _plain(run, "notice", "17", "--date", "2026-12-01")
    place = notice.index("窗口办：各县（市）区人社局经办窗口")
    ref = notice.index("本市县（市）区办事窗口，供参考（办事指南未指明具体窗口）：")
    assert place < ref < notice.index("铁东区劳动就业和社会保障服务中心")


def test_show_card_labels_generic_places_and_the_reference(run):
    card = _plain(run, "show", "19")
    paths = _section(card, "办理路径")
    assert "泛指（未列具体地址）：事业单位：市直属单位在各主管部门" in paths
    assert "本市县（市）区办事窗口，供参考（源文件未指明具体窗口）" in paths
    assert "供参考" not in _section(_plain(run, "show", "4"), "办理路径")


# ── 5 and 8. Time limits keep the source's qualifier and condition ──
# 32.3 "“窗口办”即时办结；“网上办”5个工作日（从申请到发生邮寄）；“掌上办”5个工作日（从申请到发生邮寄）"
# 33.3 "“窗口办”即时办结；“掌上办”5个工作日（从申请到发生邮寄）"   24.3–26.3 "符合条件，即时办结"
# 18.3 "鞍山市组织评审的职称证书补发即来即办"   30.3 "即时办理"   1.3 "5个工作日内办结"

# (item, channel, case, kind, days, condition, qualifier, what the clerk reads)
LIMIT_STRUCTURE = [
    (32, WIN, None, "immediate", None, None, None, "即时办结"),
    (32, WEB, None, "working_days", 5, None, "从申请到发生邮寄", "5个工作日（从申请到发生邮寄）"),
    (32, APP, None, "working_days", 5, None, "从申请到发生邮寄", "5个工作日（从申请到发生邮寄）"),
    (33, APP, None, "working_days", 5, None, "从申请到发生邮寄", "5个工作日（从申请到发生邮寄）"),
    (24, WIN, None, "immediate", None, "符合条件", None, "符合条件，即时办结"),
    (25, WEB, None, "immediate", None, "符合条件", None, "符合条件，即时办结"),
    (26, WIN, None, "immediate", None, "符合条件", None, "符合条件，即时办结"),
    (18, WIN, "鞍山市组织评审", "immediate", None, None, None, "即来即办"),
    (30, WIN, None, "immediate", None, None, None, "即时办理"),
    (1, WIN, "用工备案", "working_days", 5, None, None, "5个工作日"),
    (4, APP, None, "working_days", 5, None, None, "5个工作日"),
    (17, WIN, None, "working_days", 20, None, None, "20个工作日"),
]


@pytest.mark.parametrize(
    ("number", "channel", "case", "kind", "days", "condition", "qualifier", "summary"), LIMIT_STRUCTURE
)
def test_time_limit_qualifier_and_condition(items, number, channel, case, kind, days, condition, qualifier, summary):
    cid = case_id(items[number], case)
    found = [
        t
        for t in items[number]["time_limits"]
        if (not t["channels"] or channel in t["channels"]) and (t["case"] is None or t["case"] == cid)
    ]
    assert [(t["kind"], t["days"], t["condition"], t["qualifier"], t["summary"]) for t in found] == [
        (kind, days, condition, qualifier, summary)
    ]


def test_card_and_notice_keep_the_mailing_qualifier(run):
    card = _section(_plain(run, "show", "32"), "办理时限")
    assert "网上办：5个工作日（从申请到发生邮寄）" in card and "掌上办：5个工作日（从申请到发生邮寄）" in card
    web = _plain(run, "notice", "32", "--channel", "网上办", "--date", "2026-12-01")
    assert "网上办：5个工作日（从申请到发生邮寄），自 2026-12-01" in web
    assert "掌上办：" in web and "办理时限：5个工作日（从申请到发生邮寄）" in web
    window = _plain(run, "notice", "33", "--date", "2026-12-01")
    assert "办理时限：5个工作日（从申请到发生邮寄）" in window
    assert "办理时限：5个工作日\n" not in window and "办理时限：5个工作日；" not in window


def test_card_and_notice_keep_the_condition_and_the_word(run):
    assert "各渠道：符合条件，即时办结" in _section(_plain(run, "show", "24"), "办理时限")
    assert "窗口办：符合条件，即时办结" in _plain(run, "notice", "24", "--date", "2026-12-01")
    assert "各渠道（鞍山市组织评审）：即来即办" in _section(_plain(run, "show", "18"), "办理时限")
    notice = _plain(run, "notice", "18", "--case", "鞍山市组织评审", "--date", "2026-12-01")
    assert "窗口办：即来即办" in notice


# ── 6. Item 10: the source says "军人", not 退役军人 ──
# 10.1 "② 军人《军人服现役年限视同失业保险缴费年限证明》"


def test_item_10_condition_is_the_sources_word(items, run):
    tag = items[10]["condition_tags"]["军人"]
    assert "退役" not in tag and "军人" in tag
    assert "退役" not in _plain(run, "show", "10") and "退役" not in _plain(run, "materials", "10", "--case", "转入")


# ── 7. Consultation phones are the item's, not a window's ──
# 14.4–16.4 "建议您可先拨打咨询电话0412-2216349（师范类、医学类）、0412-5517322（其它专业类别）。"
# 24.4–26.4 "有任何问题请及时和我们联系。电话：5542127"; 14.2 and 24.2 give the windows no phone.

CONSULTATION = [
    (14, "0412-2216349", "师范类、医学类"),
    (14, "0412-5517322", "其它专业类别"),
    (15, "0412-2216349", "师范类、医学类"),
    (16, "0412-5517322", "其它专业类别"),
    (24, "5542127", None),
    (25, "5542127", None),
    (26, "5542127", None),
]


@pytest.mark.parametrize(("number", "phone", "case"), CONSULTATION)
def test_consultation_phone_is_the_items(items, run, number, phone, case):
    it = items[number]
    assert any(p["number"] == phone and p["case"] == case_id(it, case) for p in it["phones"])
    for p in paths_for(it, WIN, None):
        for pl in p["places"]:
            assert phone not in pl["phones"], f"{pl['name']} is given {phone}, which the source attaches to the item"
    card = _plain(run, "show", str(number))
    assert phone in _section(card, "咨询电话")
    assert f"电话：{phone}" not in _section(card, "办理路径")
    places = _plain(run, "offices", "--item", str(number))
    assert phone in _section(places, "咨询电话")


def test_notice_gives_consultation_phones_as_such(run):
    text = _plain(run, "notice", "24", "--date", "2026-12-01")
    places = text[text.index("办理地点") : text.index("办理时限")]
    assert "5542127" not in places
    assert "咨询电话：5542127" in text


# ── 9. Units as written ──
# 18.1 "一寸白底免冠照片一张。"   19.1 "（3）毕业证、身份证原件及复印件一份、一寸照片3张（两张贴在表格上，一张办理证书）"

UNITS = [
    (18, "一寸白底免冠照片", 1, "张"),
    (19, "一寸照片", 3, "张"),
    (19, "毕业证", 1, "份"),
    (4, "当事人委托书", 1, "份"),
    (1, "《单位新招用或续签人员用工备案（就业登记）申报表》", 2, "份"),
]


@pytest.mark.parametrize(("number", "name", "copies", "unit"), UNITS)
def test_material_unit(items, number, name, copies, unit):
    found = [m for g in items[number]["materials"] for m in g["items"] if m["name"] == name]
    assert found and all((m["copies"], m["unit"]) == (copies, unit) for m in found)


def test_units_on_screen_and_notice(run):
    assert "一寸白底免冠照片（份数：1张）" in _plain(run, "materials", "18")
    assert "1份" not in _plain(run, "materials", "18")
    listing = _plain(run, "materials", "19", "--case", "初级职称")
    assert "一寸照片（份数：3张；备注：两张贴在表格上，一张办理证书）" in listing
    assert "3份" not in listing
    notice = _plain(run, "notice", "19", "--case", "初级职称", "--date", "2026-12-01")
    assert "一寸照片（3张；两张贴在表格上，一张办理证书）" in notice


def _csv(run, table: str, item: int) -> list[dict[str, str]]:
    import csv
    import io

    result = run("export", "--format", "csv", "--table", table, "--item", str(item))
    assert result.exit_code == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))


def test_exports_carry_the_structure(run):
    # 32.3 "“网上办”5个工作日（从申请到发生邮寄）"
    web = [r for r in _csv(run, "time_limits", 32) if r["渠道"] == WEB]
    assert [(r["时限说明"], r["时限"]) for r in web] == [("从申请到发生邮寄", "5个工作日（从申请到发生邮寄）")]
    # 24.3 "符合条件，即时办结"
    assert {r["前提"] for r in _csv(run, "time_limits", 24)} == {"符合条件"}
    # 4.2 "①窗口办：辽宁省内任一失业保险业务经办窗口"
    (window,) = [r for r in _csv(run, "paths", 4) if r["渠道"] == WIN]
    assert window["泛指地点（原文）"] == "辽宁省内任一失业保险业务经办窗口" and window["县（市）区窗口供参考"] == "否"
    assert window["地点id"] == ""
    # 18.1 "一寸白底免冠照片一张。"
    (photo,) = [r for r in _csv(run, "materials", 18) if r["材料"] == "一寸白底免冠照片"]
    assert (photo["份数"], photo["单位"]) == ("1", "张")
    # 容缺办理事项清单 3 "身份证复印件"; 16.1 "存档人员需提供有效身份证件。"
    (doc,) = [r for r in _csv(run, "materials", 16) if r["材料"] == "存档人员有效身份证件"]
    assert doc["可容缺的复印件"] == "身份证复印件" and doc["容缺/告知承诺"] == ""
