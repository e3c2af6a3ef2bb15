"""Turning domain results into :class:`~rsguide.render.Output`: what each command shows."""

from __future__ import annotations

from typing import Any

from rsguide.checklist import Checklist
from rsguide.hit import Hit
from rsguide.model import Item, KnowledgeBase, Material, MaterialGroup, Office
from rsguide.render import Block, Fields, Heading, Output, Section, Table
from rsguide.serialize import item_dict, material_dict, office_dict

CHINESE_NUMERALS = "一二三四五六七八九十"

MATERIAL_CSV_COLUMNS = [
    "序号",
    "事项",
    "渠道",
    "办理情形",
    "编号",
    "材料",
    "原件/复印件",
    "份数",
    "条件",
    "备注",
    "容缺/告知承诺",
    "原文",
]


def category_label(kb: KnowledgeBase, item: Item) -> str:
    """“二、失业保险服务事项” as the list prints it."""
    cat = kb.category(item.category)
    if cat is None:
        return ""
    prefix = CHINESE_NUMERALS[cat.id - 1] + "、" if 1 <= cat.id <= len(CHINESE_NUMERALS) else ""
    return prefix + cat.name


def heading(kb: KnowledgeBase, item: Item) -> Heading:
    """The card's title line."""
    sub = category_label(kb, item)
    if item.page:
        sub += f" · 清单第{item.page}页"
    if item.heading:
        sub += f" · 指南标题：{item.heading}"
    return Heading(f"第{item.number}项  {item.name}", sub)


def _when_text(kb: KnowledgeBase, m: Material) -> str:
    return "、".join(m.when)


def _material_row(kb: KnowledgeBase, m: Material, seq: str) -> list[str]:
    copies = f"{m.copies}份" if m.copies else ""
    marks = [x for x in (m.tolerance, f"来源：{m.source}" if m.source else None) if x]
    remark = "；".join(x for x in (m.remark, *marks) if x)
    return [seq, m.name, m.form or "", copies, _when_text(kb, m), remark]


def group_title(g: MaterialGroup) -> str:
    """“材料 · 窗口办 · 转出（可容缺受理）”."""
    parts = ["材料", g.channel or "各渠道"]
    if g.case:
        parts.append(g.case)
    title = " · ".join(parts)
    if g.remark:
        title += f"（{g.remark}）"
    return title


def material_blocks(kb: KnowledgeBase, groups: tuple[MaterialGroup, ...]) -> list[Block]:
    """One table per material group; a line for channels that need nothing."""
    blocks: list[Block] = []
    for g in groups:
        if g.none_required:
            blocks.append(Section(group_title(g), [g.text or "不需要提供要件"], "ok"))
            continue
        rows = [_material_row(kb, m, m.label or str(i)) for i, m in enumerate(g.items, 1)]
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


def path_rows(kb: KnowledgeBase, item: Item) -> list[list[str]]:
    """Rows of the paths table: channel, case, what the source says, the places in detail."""
    rows = []
    for p in item.paths:
        places = [kb.office(pid) for pid in p.places]
        lines = [place_line(o) for o in places if o and (o.address or o.phones or o.url)]
        if any(o and o.see_district_windows for o in places):
            lines.append(f"各县（市）区窗口：rsguide offices --item {item.number}")
        detail = "\n".join(lines)
        channel = p.channel + (f"（{p.label}）" if p.label else "")
        rows.append([channel, p.case or "", p.text, detail or p.url or ""])
    return rows


def rules_blocks(kb: KnowledgeBase, item: Item) -> list[Block]:
    """The 禁办 and 容缺 rows that concern the item."""
    blocks: list[Block] = []
    prohibited = kb.prohibited_for(item=item.number)
    if prohibited:
        lines = [f"禁办第{r.number}条 {r.subject}：{c.text} → 不予受理" for r in prohibited for c in r.cases]
        blocks.append(Section("禁办（以下情形不予受理）", lines, "warn"))
    tolerated = kb.tolerated_for(item=item.number)
    if tolerated:
        lines = [f"可容缺：{r.material}（资料来源：{r.source}；补正时间：{r.correction_text}）" for r in tolerated]
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


def item_card(kb: KnowledgeBase, item: Item, others: list[Hit] | None = None) -> Output:
    """The whole item card (``rsguide show``)."""
    blocks: list[Block] = [heading(kb, item)]
    intro = [x for x in (item.intro, *item.conditions) if x]
    if intro:
        blocks.append(Section("办理对象与条件", intro))
    if item.legal_basis:
        blocks.append(Section("依据", [item.legal_basis]))
    if item.cases:
        blocks.append(Section("办理情形（--case）", [c.name for c in item.cases]))
    blocks += material_blocks(kb, item.materials)
    if item.condition_tags:
        blocks.append(Section("条件（--when）", [f"{t}：{kb.conditions.get(t, '')}" for t in item.condition_tags]))
    blocks.append(Table("办理路径", ["渠道", "情形", "源文件原文", "地点详情"], path_rows(kb, item)))
    blocks.append(Fields(time_limit_rows(item), title="办理时限"))
    if item.tips:
        blocks.append(Section("温馨提示", list(item.tips)))
    if item.phones:
        blocks.append(Section("电话", [p.number + (f"（{p.label}）" if p.label else "") for p in item.phones]))
    blocks += rules_blocks(kb, item)
    if item.notes:
        blocks.append(Section("源文件说明（原文不一致之处）", list(item.notes), "warn"))
    data = item_dict(kb, item)
    if others:
        blocks.append(Section("其他可能的事项", [f"第{h.number}项 {h.name}" for h in others]))
        data["other_matches"] = [hit_dict(h) for h in others]
    rows = [material_csv_row(item, g, m) for g in item.materials for m in g.items]
    return Output(data, blocks, MATERIAL_CSV_COLUMNS, rows)


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
        list(m.when),
        m.remark or "",
        m.tolerance or "",
        m.text,
    ]


def hit_dict(h: Hit) -> dict[str, Any]:
    """A search result for JSON."""
    return {"number": h.number, "name": h.name, "score": h.score, "matched": h.matched, "matched_text": h.text}


def search_results(kb: KnowledgeBase, query: str, hits: list[Hit]) -> Output:
    """The ranked list (``rsguide search``)."""
    rows = []
    data = []
    for h in hits:
        item = kb.item(h.number)
        cat = category_label(kb, item) if item else ""
        rows.append([str(h.number), h.name, cat, f"{h.score:.0f}", f"{h.matched}：{h.text}"])
        data.append(
            {
                **hit_dict(h),
                "category": kb.category(item.category).name if item and kb.category(item.category) else None,
            }
        )
    table = Table(f"“{query}”的查询结果", ["序号", "事项", "类别", "得分", "匹配"], rows)
    return Output(
        data,
        [table],
        ["序号", "事项", "类别", "得分", "匹配", "匹配内容"],
        [[h.number, h.name, d["category"], h.score, h.matched, h.text] for h, d in zip(hits, data, strict=True)],
    )


def checklist_view(kb: KnowledgeBase, cl: Checklist) -> Output:
    """The numbered checklist (``rsguide materials``)."""
    item = cl.item
    blocks: list[Block] = [heading(kb, item)]
    scope = [("渠道", cl.channel or "全部渠道")]
    if cl.case:
        scope.append(("办理情形", cl.case))
    if cl.when:
        scope.append(("条件", "、".join(cl.when)))
    blocks.append(Fields(scope))
    if cl.none_required:
        blocks.append(Section("需提供的材料", [g.text or "不需要提供要件" for g in cl.groups], "ok"))
    elif not cl.groups:
        blocks.append(Section("需提供的材料", ["源文件未列出该渠道的材料"], "warn"))
    else:
        rows = []
        for i, (g, m) in enumerate(cl.required, 1):
            row = _material_row(kb, m, str(i))
            if g.case and not cl.case:
                row[1] = f"[{g.case}] {row[1]}"
            if g.channel and not cl.channel:
                row[1] = f"[{g.channel}] {row[1]}"
            rows.append(row)
        notes = "；".join(dict.fromkeys(x for g in cl.groups for x in (g.remark, g.note) if x))
        blocks.append(
            Table(
                "需提供的材料（请逐项核对）", ["序", "材料", "原件/复印件", "份数", "条件", "备注"], rows, notes or None
            )
        )
        if cl.conditional:
            lines = [f"{m.name}（仅当：{_when_text(kb, m)}）" for _g, m in cl.conditional]
            blocks.append(Section("视情况另需（用 --when 指定）", lines))
    tol = kb.tolerated_for(item=item.number)
    if tol:
        blocks.append(Section("可容缺受理", [f"{r.material}：补正时间 {r.correction_text}" for r in tol], "ok"))
    if item.cases and not cl.case:
        blocks.append(Section("办理情形（--case）", [c.id for c in item.cases]))
    if item.condition_tags:
        blocks.append(Section("条件标签（--when）", [f"{t}：{kb.conditions.get(t, '')}" for t in item.condition_tags]))
    data = {
        "number": item.number,
        "name": item.name,
        "channel": cl.channel,
        "case": cl.case,
        "when": list(cl.when),
        "none_required": cl.none_required,
        "required": [{**material_dict(m), "channel": g.channel, "case": g.case} for g, m in cl.required],
        "conditional": [{**material_dict(m), "channel": g.channel, "case": g.case} for g, m in cl.conditional],
        "notes": [x for g in cl.groups for x in (g.remark, g.note) if x],
        "tolerated": [{"material": r.material, "source": r.source, "correction": r.correction_text} for r in tol],
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


def offices_view(offices: list[Office], title: str, extra: list[Block] | None = None) -> Output:
    """The offices table (``rsguide offices``)."""
    rows = []
    for o in offices:
        num = str(o.number) if o.number else ""
        where = o.address or o.url or o.text or ("源文件未给出地址" if o.kind in ("venue",) else "")
        rows.append([num, OFFICE_KIND_LABELS.get(o.kind, o.kind), o.name, where, "、".join(o.phones)])
    blocks: list[Block] = list(extra or [])
    blocks.append(Table(title, ["序号", "类型", "名称", "地址/网址", "电话"], rows))
    notes = [f"{o.name}：{n}" for o in offices for n in o.notes]
    if notes:
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


def verdict_view(kb: KnowledgeBase, v: Any) -> Output:
    """The check panel a clerk reads in one glance (``rsguide check``)."""
    from rsguide.checker import verdict_dict

    headline = v.text
    if v.verdict == "tolerated" and v.correction_deadline:
        headline += f"（补正截止 {v.correction_deadline.isoformat()}）"
    elif v.verdict == "tolerated":
        headline += "（" + "；".join(t.correction for t in v.tolerated) + "）"
    elif v.verdict == "prohibited":
        headline += "（禁办：" + "；".join(f.case.text for f in v.established) + "）"
    elif v.verdict == "unconfirmed":
        headline += "（请先核对禁办情形：" + "、".join(f.label for f in v.questions) + "）"
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
    if v.verdict == "unconfirmed":
        lines = [f"{f.label}：{f.question}（{f.case.text}）" for f in v.questions]
        lines.append("属于的：--situation 禁办N（不予受理）；都不属于：--situation 无")
        blocks.append(Section("请向申请人核对（是/否）", lines, "warn"))
    if v.reasons:
        blocks.append(Section("理由", v.reasons, style))
    if v.tolerated:
        rows = [[t.name, t.source, t.correction, t.deadline.isoformat() if t.deadline else ""] for t in v.tolerated]
        blocks.append(Table("容缺材料（须补正）", ["材料", "资料来源", "补正时间", "补正截止"], rows))
    if v.lacking:
        from rsguide.checker import PART_TEXT

        lines = [x.material.text + (f"（缺{PART_TEXT[x.part]}）" if x.part else "") for x in v.lacking]
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
