"""The knowledge base as flat tables (one row per item, material, path …): the shape CSV,
XLSX and SQLite exports share. Each column has an English key and a Chinese label."""

from __future__ import annotations

from typing import Any

from rsguide.model import Item, KnowledgeBase, Office, labels

Column = tuple[str, str]  # (key, 中文表头)

OFFICE_LABELS = labels(Office) | {"notes": "说明"}  # the CSV has always called the notes 说明
COLUMNS: dict[str, list[Column]] = {
    "items": [
        ("number", "序号"),
        ("name", "事项"),
        ("heading", "指南标题"),
        ("category_id", "类别序号"),
        ("category", "类别"),
        ("page", "页码"),
        ("channels", "办理渠道"),
        ("cases", "办理情形"),
        ("time_limit_text", "办理时限"),
        ("intro", "简介"),
        ("conditions", "条件"),
        ("legal_basis", "依据"),
        ("tips", "温馨提示"),
        ("phones", "咨询电话"),
        ("notes", "源文件说明"),
        ("aliases", "别名"),
    ],
    "materials": [
        ("item_number", "序号"),
        ("item_name", "事项"),
        ("channel", "渠道"),
        ("case", "办理情形"),
        ("position", "顺序"),
        ("label", "编号"),
        ("name", "材料"),
        ("form", "原件/复印件"),
        ("copies", "份数"),
        ("unit", "单位"),
        ("when", "条件"),
        ("remark", "备注"),
        ("tolerance", "容缺/告知承诺"),
        ("source", "资料来源"),
        ("tolerated_copy", "可容缺的复印件"),
        ("none_required", "无需材料"),
        ("text", "原文"),
    ],
    "paths": [
        ("item_number", "序号"),
        ("item_name", "事项"),
        ("channel", "渠道"),
        ("case", "办理情形"),
        ("label", "源文件用词"),
        ("text", "原文"),
        ("url", "网址"),
        ("places", "地点id"),
        ("generic", "泛指地点（原文）"),
        ("district_reference", "县（市）区窗口供参考"),
    ],
    "time_limits": [
        ("item_number", "序号"),
        ("item_name", "事项"),
        ("channels", "渠道"),
        ("case", "办理情形"),
        ("kind", "类型"),
        ("days", "工作日"),
        ("condition", "前提"),
        ("qualifier", "时限说明"),
        ("summary", "时限"),
        ("text", "原文"),
    ],
    "offices": [
        (name, OFFICE_LABELS[name])
        for name in ("id", "kind", "number", "name", "district", "address", "phones", "windows", "url", "notes")
    ],
    "prohibited": [
        ("rule_number", "禁办序号"),
        ("subject", "禁办事项"),
        ("item_number", "对应事项序号"),
        ("rule_subject", "非清单事项id"),
        ("case_number", "情形序号"),
        ("text", "禁办情形"),
    ],
    "tolerated": [
        ("rule_number", "容缺序号"),
        ("subject", "业务事项"),
        ("item_number", "对应事项序号"),
        ("rule_subject", "非清单事项id"),
        ("material", "可容缺资料"),
        ("source", "资料来源"),
        ("correction_text", "补正时间"),
        ("correction_kind", "补正类型"),
        ("correction_days", "补正工作日"),
    ],
}
TABLES = tuple(COLUMNS)


def _records(kb: KnowledgeBase, items: list[Item], table: str) -> list[dict[str, Any]]:
    numbers = {i.number for i in items}
    if table == "items":
        out = []
        for i in items:
            cat = kb.category(i.category)
            out.append(
                {
                    "number": i.number,
                    "name": i.name,
                    "heading": i.heading,
                    "category_id": i.category,
                    "category": cat.name if cat else None,
                    "page": i.page,
                    "channels": list(i.channels),
                    "cases": [c.id for c in i.cases],
                    "time_limit_text": i.time_limit_text,
                    "intro": i.intro,
                    "conditions": list(i.conditions),
                    "legal_basis": i.legal_basis,
                    "tips": list(i.tips),
                    "phones": [p.number for p in i.phones],
                    "notes": list(i.notes),
                    "aliases": list(i.aliases),
                }
            )
        return out
    if table == "materials":
        out = []
        for i in items:
            for g in i.materials:
                base = {"item_number": i.number, "item_name": i.name, "channel": g.channel, "case": g.case}
                if g.none_required:
                    out.append({**base, "position": 0, "name": None, "none_required": True, "text": g.text})
                for pos, m in enumerate(g.items, 1):
                    out.append(
                        {
                            **base,
                            "position": pos,
                            "label": m.label,
                            "name": m.name,
                            "form": m.form,
                            "copies": m.copies,
                            "unit": m.unit if m.copies else None,
                            "when": list(m.when),
                            "remark": m.remark,
                            "tolerance": m.tolerance,
                            "source": m.source,
                            "tolerated_copy": m.tolerated_copy,
                            "none_required": False,
                            "text": m.text,
                        }
                    )
        return out
    if table == "paths":
        return [
            {
                "item_number": i.number,
                "item_name": i.name,
                "channel": p.channel,
                "case": p.case,
                "label": p.label,
                "text": p.text,
                "url": p.url,
                "places": list(p.places),
                "generic": list(p.generic),
                "district_reference": p.district_reference,
            }
            for i in items
            for p in i.paths
        ]
    if table == "time_limits":
        return [
            {
                "item_number": i.number,
                "item_name": i.name,
                "channels": list(t.channels),
                "case": t.case,
                "kind": t.kind,
                "days": t.days,
                "condition": t.condition,
                "qualifier": t.qualifier,
                "summary": t.summary,
                "text": t.text,
            }
            for i in items
            for t in i.time_limits
        ]
    if table == "offices":
        return [
            {
                "id": o.id,
                "kind": o.kind,
                "number": o.number,
                "name": o.name,
                "district": o.district,
                "address": o.address,
                "phones": list(o.phones),
                "windows": o.windows,
                "url": o.url,
                "notes": list(o.notes),
            }
            for o in kb.offices
        ]
    if table == "prohibited":
        return [
            {
                "rule_number": r.number,
                "subject": r.subject,
                "item_number": r.item,
                "rule_subject": r.rule_subject,
                "case_number": c.number,
                "text": c.text,
            }
            for r in kb.prohibited
            if r.item is None or r.item in numbers
            for c in r.cases
        ]
    if table == "tolerated":
        return [
            {
                "rule_number": r.number,
                "subject": r.subject,
                "item_number": r.item,
                "rule_subject": r.rule_subject,
                "material": r.material,
                "source": r.source,
                "correction_text": r.correction_text,
                "correction_kind": r.correction.kind,
                "correction_days": r.correction.days,
            }
            for r in kb.tolerated
            if r.item is None or r.item in numbers
        ]
    raise KeyError(table)


def table_records(
    kb: KnowledgeBase, items: list[Item], table: str, channel: str | None = None
) -> tuple[list[str], list[list[Any]]]:
    """Rows of ``table`` with English keys (lists kept as lists); with ``channel``, only that
    channel's rows of the tables that have one (materials, paths, time limits of every channel)."""
    keys = [k for k, _ in COLUMNS[table]]
    records = _records(kb, items, table)
    if channel is not None and "channel" in keys:
        records = [r for r in records if r.get("channel") in (channel, None)]
    return keys, [[r.get(k) for k in keys] for r in records]


def table_rows(
    kb: KnowledgeBase, items: list[Item], table: str, channel: str | None = None
) -> tuple[list[str], list[list[Any]]]:
    """Rows of ``table`` with Chinese headers, for CSV and XLSX."""
    _keys, rows = table_records(kb, items, table, channel)
    return [label for _, label in COLUMNS[table]], rows
