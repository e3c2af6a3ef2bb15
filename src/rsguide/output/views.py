"""Turning domain results into :class:`~rsguide.output.render.Output`: what each command shows."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rsguide.kb.api import ReadAPI

from typing import Any

from rsguide.check.checklist import Checklist, copied_material, copy_tolerance
from rsguide.model import (
    REFERENCE_LABEL,
    REFERENCE_NOTE,
    Item,
    Material,
    MaterialGroup,
    Office,
    ToleratedMaterial,
)
from rsguide.numerals import to_chinese
from rsguide.output.material_text import full_name, none_required_text, qualifier
from rsguide.output.render import Block, Fields, Heading, Output, Section, Table
from rsguide.output.serialize import hit_dict, item_dict, material_dict, office_dict
from rsguide.search.hit import Hit

MATERIAL_CSV_COLUMNS = [
    "序号",
    "事项",
    "渠道",
    "办理情形",
    "编号",
    "材料",
    "原件/复印件",
    "份数",
    "单位",
    "条件",
    "备注",
    "容缺/告知承诺",
    "原文",
]


def category_label(kb: ReadAPI, item: Item) -> str:
    """“二、失业保险服务事项” as the list prints it."""
    cat = kb.category(item.category)
    if cat is None:
        return ""
    prefix = to_chinese(cat.id) + "、" if cat.id >= 1 else ""
    return prefix + cat.name


def heading(kb: ReadAPI, item: Item) -> Heading:
    """The card's title line."""
    sub = category_label(kb, item)
    if item.page:
        sub += f" · 清单第{item.page}页"
    if item.heading:
        sub += f" · 指南标题：{item.heading}"
    return Heading(f"第{item.number}项  {item.name}", sub)


def _when_text(kb: ReadAPI, m: Material) -> str:
    return "、".join(m.when)


def copy_tolerance_text(row: ToleratedMaterial) -> str:
    """What a clerk reads next to a document whose copy only is on the 容缺 list."""
    return f"证件本身须出示；可容缺的是{row.material}，补正时间{row.correction_text}"


def tolerated_detail(item: Item, row: ToleratedMaterial) -> str:
    """A 容缺 row in the list's words, attached to the item's material it concerns (the document
    whose copy may be missing is named once: a long name said twice breaks badly on a narrow line)."""
    doc = copied_material(item, row)
    attached = f"指南要件“{doc.name}”的复印件，证件本身须出示；" if doc is not None else ""
    return f"{row.material}（{attached}资料来源：{row.source}；补正时间：{row.correction_text}）"


def tolerated_line(item: Item, row: ToleratedMaterial) -> str:
    """:func:`tolerated_detail` for a list of materials: “可容缺：…”."""
    return f"可容缺：{tolerated_detail(item, row)}"


def _material_row(kb: ReadAPI, m: Material, seq: str, item: Item | None = None) -> list[str]:
    copy_row = copy_tolerance(kb, item, m) if item is not None else None
    marks = [
        x
        for x in (
            m.tolerance,
            copy_tolerance_text(copy_row) if copy_row else None,
            f"来源：{m.source}" if m.source else None,
        )
        if x
    ]
    remark = "；".join(x for x in (m.remark, *marks) if x)
    return [seq, full_name(m), m.form or "", m.copies_text, _when_text(kb, m), remark]


def group_title(g: MaterialGroup) -> str:
    """“材料 · 窗口办 · 转出（可容缺受理）”."""
    parts = ["材料", g.channel or "各渠道"]
    if g.case:
        parts.append(g.case)
    title = " · ".join(parts)
    if g.remark:
        title += f"（{g.remark}）"
    return title


def material_blocks(kb: ReadAPI, groups: tuple[MaterialGroup, ...], item: Item | None = None) -> list[Block]:
    """One table per material group; a line for channels that need nothing."""
    blocks: list[Block] = []
    for g in groups:
        if g.none_required:
            blocks.append(Section(group_title(g), [none_required_text(g)], "ok"))
            continue
        rows = [_material_row(kb, m, m.label or str(i), item) for i, m in enumerate(g.items, 1)]
        blocks.append(Table(group_title(g), ["编号", "材料", "原件/复印件", "份数", "条件", "备注"], rows, g.note))
    return blocks


def place_line(o: Office) -> str:
    """An office in one line: name, address, phones, URL."""
    parts = [o.name]
    if o.address:
        parts.append(f"地址：{o.address}")
    if o.windows and o.windows not in o.name:
        parts.append(o.windows)
    if o.phones:
        parts.append("电话：" + "、".join(o.phones))
    if o.url and o.url not in o.name:
        parts.append(o.url)
    return "；".join(parts)


def path_rows(kb: ReadAPI, item: Item) -> list[list[str]]:
    """Rows of the paths table: channel, case, what the source says, the places in detail
    (named offices; the source's generic wording; the district windows only as a labelled reference)."""
    rows = []
    for p in item.paths:
        lines = []
        for ref in kb.path_places(p):
            if ref.kind == "generic":
                lines.append(f"泛指（未列具体地址）：{ref.text}")
            elif ref.kind == "reference":
                lines.append(f"{ref.text}（{REFERENCE_NOTE}）：rsguide offices --item {item.number}")
            else:
                lines += [place_line(o) for o in ref.offices if o.address or o.phones or o.url]
        detail = "\n".join(lines)
        channel = p.channel + (f"（{p.label}）" if p.label else "")
        rows.append([channel, p.case or "", p.text, detail or p.url or ""])
    return rows


def rules_blocks(kb: ReadAPI, item: Item) -> list[Block]:
    """The 禁办 and 容缺 rows that concern the item."""
    blocks: list[Block] = []
    prohibited = kb.prohibited_for(item=item.number)
    if prohibited:
        lines = [f"禁办第{r.number}条 {r.subject}：{c.text} → 不予受理" for r in prohibited for c in r.cases]
        blocks.append(Section("禁办（以下情形不予受理）", lines, "warn"))
    tolerated = kb.tolerated_for(item=item.number)
    if tolerated:
        lines = [tolerated_line(item, r) for r in tolerated]
        blocks.append(Section("容缺受理", lines, "ok"))
    return blocks


def time_limit_rows(item: Item) -> list[tuple[str, str]]:
    """The time limit: the source sentence, then per channel."""
    rows = [("原文", item.time_limit_text or "（源文件未写）")]
    for t in item.time_limits:
        who = "、".join(t.channels) if t.channels else "各渠道"
        if t.case:
            who += f"（{t.case}）"
        rows.append((who, t.summary))
    return rows


def item_card(kb: ReadAPI, item: Item, others: list[Hit] | None = None) -> Output:
    """The whole item card (``rsguide show``)."""
    blocks: list[Block] = [heading(kb, item)]
    intro = [x for x in (item.intro, *item.conditions) if x]
    if intro:
        blocks.append(Section("办理对象与条件", intro))
    if item.legal_basis:
        blocks.append(Section("依据", [item.legal_basis]))
    if item.cases:
        blocks.append(Section("办理情形（--case）", [c.name for c in item.cases]))
    blocks += material_blocks(kb, item.materials, item)
    if item.condition_tags:
        blocks.append(Section("条件（--when）", [f"{t}：{kb.conditions.get(t, '')}" for t in item.condition_tags]))
    blocks.append(Table("办理路径", ["渠道", "情形", "源文件原文", "地点详情"], path_rows(kb, item)))
    blocks.append(Fields(time_limit_rows(item), title="办理时限"))
    if item.tips:
        blocks.append(Section("温馨提示", list(item.tips)))
    if item.phones:
        blocks.append(Section("咨询电话（源文件温馨提示所列）", phone_lines(item)))
    blocks += rules_blocks(kb, item)
    if item.notes:
        blocks.append(Section("源文件说明（原文不一致之处）", list(item.notes), "warn"))
    data = item_dict(kb, item)
    if others:
        blocks.append(Section("其他可能的事项", [f"第{h.number}项 {h.name}" for h in others]))
        data["other_matches"] = [hit_dict(h) for h in others]
    rows = [material_csv_row(item, g, m) for g in item.materials for m in g.items]
    return Output(data, blocks, MATERIAL_CSV_COLUMNS, rows)


def phone_lines(item: Item) -> list[str]:
    """The item's consultation phones: “0412-2216349（师范类、医学类）”."""
    return [p.number + (f"（{p.label}）" if p.label else "") for p in item.phones]


def material_csv_row(item: Item, g: MaterialGroup, m: Material) -> list[Any]:
    """One CSV row of a material."""
    return [
        item.number,
        item.name,
        g.channel or "各渠道",
        g.case or "",
        m.label or "",
        m.name,
        m.form or "",
        m.copies or "",
        m.unit if m.copies else "",
        list(m.when),
        m.remark or "",
        m.tolerance or "",
        m.text,
    ]


CONFIDENCE_LABELS = {"high": "高", "medium": "中", "low": "低"}
"""How sure a search result is, as the table shows it (JSON keeps ``high``/``medium``/``low``)."""


def search_results(kb: ReadAPI, query: str, hits: list[Hit]) -> Output:
    """The ranked list (``rsguide search``)."""
    rows = []
    data = []
    for h in hits:
        item = kb.item(h.number)
        cat = category_label(kb, item) if item else ""
        rows.append(
            [
                str(h.number),
                h.name,
                cat,
                f"{h.score:.0f}",
                CONFIDENCE_LABELS.get(h.confidence, ""),
                f"{h.matched}：{h.text}",
            ]
        )
        data.append(
            {
                **hit_dict(h),
                "category": found.name if item and (found := kb.category(item.category)) else None,
            }
        )
    table = Table(f"“{query}”的查询结果", ["序号", "事项", "类别", "得分", "把握", "匹配"], rows)
    return Output(
        data,
        [table],
        ["序号", "事项", "类别", "得分", "把握", "匹配", "匹配内容"],
        [
            [h.number, h.name, d["category"], h.score, h.confidence, h.matched, h.text]
            for h, d in zip(hits, data, strict=True)
        ],
    )


def checklist_view(kb: ReadAPI, cl: Checklist) -> Output:
    """The numbered checklist (``rsguide materials``); one list per case where no case was chosen
    and the materials differ by case, each with its own notes."""
    item = cl.item
    blocks: list[Block] = [heading(kb, item)]
    scope = [("渠道", cl.channel or "全部渠道")]
    if cl.case:
        scope.append(("办理情形", cl.case))
    if cl.when:
        scope.append(("条件", "、".join(cl.when)))
    blocks.append(Fields(scope))
    sections = cl.by_case()
    split = len(sections) > 1
    if cl.none_required:
        lines = list(dict.fromkeys(none_required_text(g) for g in cl.groups))
        blocks.append(Section("需提供的材料", lines, "ok"))
    elif not cl.groups:
        blocks.append(Section("需提供的材料", ["源文件未列出该渠道的材料"], "warn"))
    else:
        for sec in sections:
            case = item.case(sec.case) if split and sec.case else None
            title = f"需提供的材料 · {case.name}（请逐项核对）" if case else "需提供的材料（请逐项核对）"
            rows = []
            for i, (g, m) in enumerate(sec.required, 1):
                row = _material_row(kb, m, str(i), item)
                if g.case and not cl.case and not split:
                    row[1] = f"[{g.case}] {row[1]}"
                if g.channel and not cl.channel:
                    row[1] = f"[{g.channel}] {row[1]}"
                rows.append(row)
            notes = "；".join(sec.notes)
            blocks.append(Table(title, ["序", "材料", "原件/复印件", "份数", "条件", "备注"], rows, notes or None))
            if sec.conditional:
                lines = [f"{full_name(m)}（仅当：{_when_text(kb, m)}）" for _g, m in sec.conditional]
                more = f"视情况另需 · {case.name}（用 --when 指定）" if case else "视情况另需（用 --when 指定）"
                blocks.append(Section(more, lines))
    tol = kb.tolerated_for(item=item.number)
    if tol:
        blocks.append(Section("可容缺受理", [tolerated_line(item, r) for r in tol], "ok"))
    if item.cases and not cl.case:
        lines = [c.id for c in item.cases]
        if split:
            lines.append("本事项的材料因办理情形而不同，以上按情形分列；只看一种情形请加 --case")
        blocks.append(Section("办理情形（--case）", lines))
    tags = dict.fromkeys(t for g in cl.groups for m in g.items for t in m.when)  # this channel's, not the item's
    if tags:
        blocks.append(Section("条件标签（--when）", [f"{t}：{kb.conditions.get(t, '')}" for t in tags]))

    def entry(g: MaterialGroup, m: Material) -> dict[str, Any]:
        # qualifier: the source's words before the name on who issues it (转入地…出具的), else null;
        # derived from text, so the knowledge base's own form (export, show) does not carry it
        return {**material_dict(m), "qualifier": qualifier(m) or None, "channel": g.channel, "case": g.case}

    data = {
        "number": item.number,
        "name": item.name,
        "channel": cl.channel,
        "case": cl.case,
        "when": list(cl.when),
        "none_required": cl.none_required,
        "required": [entry(g, m) for g, m in cl.required],
        "conditional": [entry(g, m) for g, m in cl.conditional],
        "notes": [x for g in cl.groups for x in (g.remark, g.note) if x],
        "sections": [
            {
                "case": sec.case,
                "required": [entry(g, m) for g, m in sec.required],
                "conditional": [entry(g, m) for g, m in sec.conditional],
                "notes": list(sec.notes),
            }
            for sec in sections
        ],
        "tolerated": [
            {
                "material": r.material,
                "source": r.source,
                "correction": r.correction_text,
                "copy_of": doc.name if (doc := copied_material(item, r)) else None,
            }
            for r in tol
        ],
        "cases": [c.id for c in item.cases],
        "condition_tags": list(item.condition_tags),
    }
    rows = [material_csv_row(item, g, m) for g, m in cl.required]
    return Output(data, blocks, MATERIAL_CSV_COLUMNS, rows)


OFFICE_KIND_LABELS = {
    "district_window": "县（市）区窗口",
    "venue": "市级窗口",
    "generic": "经办机构",
    "bank": "银行网点",
    "platform": "网上平台",
    "app": "掌上办",
    "machine": "自助设备",
}


def offices_view(
    offices: list[Office], title: str, extra: list[Block] | None = None, *, with_notes: bool = True
) -> Output:
    """The offices table (``rsguide offices``)."""
    rows = []
    for o in offices:
        num = str(o.number) if o.number else ""
        where = o.address or o.url or o.text or ("源文件未给出地址" if o.kind in ("venue",) else "")
        rows.append([num, OFFICE_KIND_LABELS.get(o.kind, o.kind), o.name, where, "、".join(o.phones)])
    blocks: list[Block] = list(extra or [])
    blocks.append(Table(title, ["序号", "类型", "名称", "地址/网址", "电话"], rows))
    notes = [f"{o.name}：{n}" for o in offices for n in o.notes]
    if notes and with_notes:
        blocks.append(Section("说明", notes))
    csv_rows = [
        [o.id, o.kind, o.number or "", o.name, o.district or "", o.address or "", list(o.phones), o.url or ""]
        for o in offices
    ]
    return Output(
        [office_dict(o) for o in offices],
        blocks,
        ["id", "类型", "序号", "名称", "区县", "地址", "电话", "网址"],
        csv_rows,
    )


def item_places_view(kb: ReadAPI, item: Item, query: str | None = None) -> Output:
    """Where an item is handled (``rsguide offices --item N``): the source's paths, the named
    offices, the source's generic wording as the place itself, the district windows only as a
    labelled reference where that wording refers to district level, and the item's consultation phones.

    Raises :class:`~rsguide.errors.NotFoundError` when ``query`` leaves nothing."""
    from rsguide.errors import NotFoundError
    from rsguide.kb.offices import item_places

    places = item_places(kb, item, query)
    if not places:
        raise NotFoundError(f"没有找到地点“{query}”", hint=f"运行 rsguide offices --item {item.number} 查看全部地点")
    lines = [f"{p.channel}{f'（{p.case}）' if p.case else ''}：{p.text}" for p in item.paths]
    blocks: list[Block] = [Section("源文件的办理路径", lines)]
    named = list({o.id: o for p in places if p.kind == "named" for o in p.offices}.values())
    generic = [p for p in places if p.kind == "generic"]
    reference = list({o.id: o for p in places if p.kind == "reference" for o in p.offices}.values())
    if generic:
        blocks.append(
            Section(
                "办理地点（源文件原文，泛指，未列具体地址）",
                [f"{p.channel}{f'（{p.case}）' if p.case else ''}：{p.text}" for p in generic],
            )
        )
    shown: list[Office] = []
    if named:
        table = offices_view(named, f"第{item.number}项 {item.name} 的办理地点", with_notes=False)
        blocks += table.blocks
        shown += named
    if reference:
        table = offices_view(reference, f"{REFERENCE_LABEL}（{REFERENCE_NOTE}）", with_notes=False)
        blocks += table.blocks
        shown += reference
    if item.phones:
        blocks.append(Section("咨询电话（源文件温馨提示所列，非窗口电话）", phone_lines(item)))
    notes = [f"{o.name}：{n}" for o in dict.fromkeys(shown) for n in o.notes]
    if notes:
        blocks.append(Section("说明", notes))
    data: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for p in places:
        for o in p.offices or (None,):
            key = (p.kind, o.id if o else p.text)
            if key in seen:
                continue
            seen.add(key)
            entry = office_dict(o) if o else {**_EMPTY_OFFICE, "kind": "generic", "name": p.text}
            entry["role"] = p.kind
            entry["reference_label"] = p.text if p.kind == "reference" else None
            entry["path"] = {"channel": p.channel, "case": p.case}
            data.append(entry)
    csv_rows = [
        [d["role"], d["id"] or "", d["kind"], d["number"] or "", d["name"], d["address"] or "", list(d["phones"])]
        for d in data
    ]
    return Output(data, blocks, ["地点类别", "id", "类型", "序号", "名称", "地址", "电话"], csv_rows)


_EMPTY_OFFICE: dict[str, Any] = {
    "id": None,
    "kind": None,
    "number": None,
    "name": None,
    "aliases": [],
    "district": None,
    "address": None,
    "phones": [],
    "windows": None,
    "url": None,
    "text": None,
    "see_district_windows": False,
    "notes": [],
}


def verdict_view(kb: ReadAPI, v: Any) -> Output:
    """The check panel a clerk reads in one glance (``rsguide check``)."""
    from rsguide.output.serialize import verdict_dict

    headline = v.text
    if v.verdict == "tolerated" and v.correction_deadline:
        headline += f"（补正截止 {v.correction_deadline.isoformat()}）"
    elif v.verdict == "tolerated":
        headline += "（" + "；".join(t.correction for t in v.tolerated) + "）"
    elif v.verdict == "prohibited":
        headline += "（禁办：" + "；".join(f.case.text for f in v.established) + "）"
    elif v.verdict == "unconfirmed":
        confirm = ["禁办情形：" + "、".join(f.label for f in v.questions)] if v.questions else []
        confirm += ["申请条件"] if getattr(v, "conditions", None) else []
        headline += "（请先核对" + "；".join(confirm) + "）"
    elif v.verdict == "incomplete":
        headline += "（缺：" + "、".join(x.name for x in v.lacking) + "）"
    style = {"ok": "ok", "tolerated": "ok"}.get(v.verdict, "warn")
    subject = v.subject
    title = f"第{subject.item.number}项  {subject.item.name}" if subject.item else subject.name
    blocks: list[Block] = [Section(headline, [title], style)]
    facts = [("受理日期", v.date.isoformat())]
    if v.channel:
        facts.append(("渠道", v.channel))
    if v.case:
        facts.append(("办理情形", v.case))
    if v.when:
        facts.append(("条件", "、".join(v.when)))
    if v.time_limit:
        limit = v.time_limit.text + (f"，到期 {v.due_date.isoformat()}" if v.due_date else "")
        facts.append(("办理时限", limit))
    blocks.append(Fields(facts))
    if v.verdict == "unconfirmed" and v.questions:
        lines = [f"{f.label}：{f.question}（{f.case.text}）" for f in v.questions]
        named = [f.label for f in v.questions if f.rule in v.subject.query_matches_rule]
        if named:  # the subject's name is the 禁办事项: 无 does not rule it out
            lines.append(f"属于的：--situation 禁办N（不予受理）；不属于：--situation 不是{named[0]}")
        else:
            lines.append("属于的：--situation 禁办N（不予受理）；都不属于：--situation 无")
        blocks.append(Section("请向申请人核对（是/否）", lines, "warn"))
    if v.reasons:
        blocks.append(Section("理由", v.reasons, style))
    if v.tolerated:
        rows = [[t.name, t.source, t.correction, t.deadline.isoformat() if t.deadline else ""] for t in v.tolerated]
        blocks.append(Table("容缺材料（须补正）", ["材料", "资料来源", "补正时间", "补正截止"], rows))
    if v.lacking:
        from rsguide.output.notice import _detail

        # What is missing, one material a line in the source's words (as the 补正材料通知书 lists it),
        # not the source's whole sentence, which may name materials already brought.
        lines = [x.name + (f"（{d}）" if (d := _detail(x.material)) and not x.part else "") for x in v.lacking]
        blocks.append(Section("须补齐的材料", lines, "warn"))
    if v.present:
        blocks.append(Section("已核对的材料", [m.name for m in v.present]))
    if v.warnings:
        blocks.append(Section("注意", v.warnings, "warn"))
    data = verdict_dict(v)
    rows_csv = [
        [
            data["verdict"],
            data["verdict_text"],
            data["subject"]["number"],
            data["subject"]["name"],
            "；".join(data["reasons"]),
            "、".join(m["name"] for m in data["missing"]),
            data["correction_deadline"],
            data["due_date"],
            "；".join(data["warnings"]),
        ]
    ]
    return Output(
        data, blocks, ["verdict", "结论", "序号", "事项", "理由", "缺少材料", "补正截止", "办结到期", "注意"], rows_csv
    )
