"""Reports for supervisors: statistics of one knowledge base (``rsguide stats``) and the
differences between two versions of it (``rsguide diff``)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

from rsguide.model import (
    CHANNELS,
    Bureau,
    Category,
    Item,
    KnowledgeBase,
    Material,
    MaterialGroup,
    Office,
    Path,
    ProhibitedCase,
    ProhibitedRule,
    RuleSubject,
    SituationWords,
    TimeLimit,
    ToleratedMaterial,
    labels,
    yaml_spec,
)
from rsguide.output.render import Block, Fields, Output, Section, Table

T = TypeVar("T")

TOLERANCE_REMARK = "可容缺受理"


def number_ranges(numbers: Sequence[int]) -> str:
    """“1–3、5、7–9” for [1, 2, 3, 5, 7, 8, 9]."""
    nums = sorted(set(numbers))
    parts: list[str] = []
    i = 0
    while i < len(nums):
        j = i
        while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
            j += 1
        parts.append(str(nums[i]) if i == j else f"{nums[i]}–{nums[j]}" if j > i + 1 else f"{nums[i]}、{nums[j]}")
        i = j + 1
    return "、".join(parts)


# ── stats ──


def guide_tolerance(item: Item) -> list[str]:
    """Why the item's own guide allows 容缺 (a group remarked 可容缺受理, a material with a tolerance)."""
    reasons: list[str] = []
    for g in item.materials:
        if g.remark and TOLERANCE_REMARK in g.remark:
            scope = " · ".join(x for x in (g.channel or "各渠道", g.case) if x)
            reasons.append(f"{scope}：{TOLERANCE_REMARK}")
        for m in g.items:
            if m.tolerance:
                reasons.append(f"{m.name}：{m.tolerance}")
    return reasons


def stats_data(kb: KnowledgeBase) -> dict[str, Any]:
    """The statistics as a JSON-able dict with stable English keys."""
    items = list(kb.items)
    categories = [
        {"id": c.id, "name": c.name, "items": len(nums), "numbers": nums}
        for c in kb.categories
        for nums in [[i.number for i in items if i.category == c.id]]
    ]
    channels = [
        {"channel": ch, "items": len(nums), "numbers": nums}
        for ch in CHANNELS
        for nums in [[i.number for i in items if ch in i.channels]]
    ]
    immediate = [i.number for i in items if any(t.kind == "immediate" for t in i.time_limits)]
    only_immediate = [i.number for i in items if i.time_limits and all(t.kind == "immediate" for t in i.time_limits)]
    days = sorted({t.days for i in items for t in i.time_limits if t.kind == "working_days" and t.days})
    working_days = [
        {"days": d, "items": len(nums), "numbers": nums}
        for d in days
        for nums in [[i.number for i in items if any(t.kind == "working_days" and t.days == d for t in i.time_limits)]]
    ]
    text_only = [i.number for i in items if any(t.kind == "text" for t in i.time_limits)]
    without = [i.number for i in items if not i.time_limits]
    guide = [i.number for i in items if guide_tolerance(i)]
    listed = sorted({r.item for r in kb.tolerated if r.item is not None})
    notes = {
        "items": sum(len(i.notes) for i in items),
        "offices": sum(len(o.notes) for o in kb.offices),
        "rule_subjects": sum(len(s.notes) for s in kb.subjects),
    }
    notes["total"] = sum(notes.values())
    return {
        "items": len(items),
        "offices": len(kb.offices),
        "categories": categories,
        "channels": channels,
        "time_limits": {
            "immediate": {"items": len(immediate), "numbers": immediate},
            "immediate_only": {"items": len(only_immediate), "numbers": only_immediate},
            "working_days": working_days,
            "text": {"items": len(text_only), "numbers": text_only},
            "none": {"items": len(without), "numbers": without},
        },
        "tolerance": {
            "guide": {"items": len(guide), "numbers": guide},
            "list": {"items": len(listed), "numbers": listed},
            "both": sorted(set(guide) & set(listed)),
            "guide_only": sorted(set(guide) - set(listed)),
            "list_only": sorted(set(listed) - set(guide)),
            "list_rows": len(kb.tolerated),
            "list_rule_subjects": sum(1 for r in kb.tolerated if r.rule_subject is not None),
        },
        "rules": {
            "prohibited": len(kb.prohibited),
            "prohibited_cases": sum(len(r.cases) for r in kb.prohibited),
            "tolerated": len(kb.tolerated),
        },
        "notes": notes,
    }


def stats_output(kb: KnowledgeBase) -> Output:
    """``rsguide stats``: items per category and channel, time limits, 容缺, source notes."""
    d = stats_data(kb)
    total = d["items"] or 1
    tl = d["time_limits"]
    tol = d["tolerance"]
    notes = d["notes"]
    rules = d["rules"]
    blocks: list[Block] = [
        Fields(
            [
                ("事项", f"{d['items']} 个（{len(d['categories'])} 个类别）"),
                ("办事地点", f"{d['offices']} 个"),
                ("禁办清单", f"{rules['prohibited']} 条（{rules['prohibited_cases']} 种情形）"),
                ("容缺清单", f"{rules['tolerated']} 条"),
                ("源文件说明", f"{notes['total']} 条"),
            ],
            title="概况",
        ),
        Table(
            "各类别事项数",
            ["类别序号", "类别", "事项数", "事项序号"],
            [[str(c["id"]), c["name"], str(c["items"]), number_ranges(c["numbers"])] for c in d["categories"]],
        ),
        Table(
            "各渠道覆盖",
            ["渠道", "事项数", "占比", "事项序号"],
            [
                [c["channel"], str(c["items"]), f"{round(100 * c['items'] / total)}%", number_ranges(c["numbers"])]
                for c in d["channels"]
            ],
        ),
    ]
    limit_rows = [
        ["即时办结（至少一个渠道）", str(tl["immediate"]["items"]), number_ranges(tl["immediate"]["numbers"])]
    ]
    limit_rows.append(
        ["全部渠道即时办结", str(tl["immediate_only"]["items"]), number_ranges(tl["immediate_only"]["numbers"])]
    )
    limit_rows += [[f"{w['days']}个工作日内", str(w["items"]), number_ranges(w["numbers"])] for w in tl["working_days"]]
    if tl["text"]["items"]:
        limit_rows.append(["无具体天数（以原文为准）", str(tl["text"]["items"]), number_ranges(tl["text"]["numbers"])])
    if tl["none"]["items"]:
        limit_rows.append(["源文件未写时限", str(tl["none"]["items"]), number_ranges(tl["none"]["numbers"])])
    blocks.append(
        Table(
            "办理时限",
            ["时限", "事项数", "事项序号"],
            limit_rows,
            "一个事项可按渠道或情形有不同时限，各行合计可能超过事项总数。",
        )
    )
    tol_rows = []
    for number in sorted(set(tol["guide"]["numbers"]) | set(tol["list"]["numbers"])):
        item = kb.item(number)
        if item is None:
            continue
        on_list = [f"第{r.number}条 {r.material}（补正：{r.correction_text}）" for r in kb.tolerated_for(item=number)]
        tol_rows.append(
            [str(number), item.name, "；".join(guide_tolerance(item)) or "未写", "；".join(on_list) or "不在清单上"]
        )
    others = [f"第{r.number}条 {r.subject}：{r.material}" for r in kb.tolerated if r.rule_subject is not None]
    blocks.append(
        Table(
            f"可容缺受理（指南写明 {tol['guide']['items']} 个事项，容缺清单 {tol['list']['items']} 个事项）",
            ["序号", "事项", "指南写明", "容缺清单"],
            tol_rows,
            ("容缺清单中不属于事项清单的业务：" + "；".join(others)) if others else None,
        )
    )
    blocks.append(
        Fields(
            [
                ("事项", f"{notes['items']} 条"),
                ("办事地点", f"{notes['offices']} 条"),
                ("非清单业务", f"{notes['rule_subjects']} 条"),
                ("合计", f"{notes['total']} 条"),
            ],
            title="源文件说明（原文不一致之处）",
        )
    )
    rows: list[list[Any]] = [["事项", "items", "事项总数", d["items"]]]
    rows += [["类别", str(c["id"]), c["name"], c["items"]] for c in d["categories"]]
    rows += [["渠道", c["channel"], c["channel"], c["items"]] for c in d["channels"]]
    rows.append(["办理时限", "immediate", "即时办结（至少一个渠道）", tl["immediate"]["items"]])
    rows.append(["办理时限", "immediate_only", "全部渠道即时办结", tl["immediate_only"]["items"]])
    rows += [
        ["办理时限", f"working_days:{w['days']}", f"{w['days']}个工作日内", w["items"]] for w in tl["working_days"]
    ]
    rows.append(["办理时限", "text", "无具体天数", tl["text"]["items"]])
    rows.append(["办理时限", "none", "源文件未写时限", tl["none"]["items"]])
    rows.append(["可容缺受理", "guide", "指南写明可容缺受理或告知承诺", tol["guide"]["items"]])
    rows.append(["可容缺受理", "list", "在容缺清单上", tol["list"]["items"]])
    rows.append(["可容缺受理", "list_rows", "容缺清单条数", tol["list_rows"]])
    rows += [["源文件说明", k, label, notes[k]] for k, label in _NOTE_LABELS]
    return Output(d, blocks, ["指标", "键", "名称", "数量"], rows)


_NOTE_LABELS = (("items", "事项"), ("offices", "办事地点"), ("rule_subjects", "非清单业务"), ("total", "合计"))


# ── diff ──

FIELD_LABELS: dict[str, str] = (
    labels(Office)
    | {f"materials.{k}": v for k, v in labels(Material).items()}
    | {f"time_limits.{k}": v for k, v in labels(TimeLimit).items()}
    | {f"bureau.{k}": f"人社局{v}" for k, v in labels(Bureau).items()}
    | {f"material_groups.{k}": v for k, v in labels(MaterialGroup).items()}
    | {f"paths.{k}": v for k, v in labels(Path).items()}
) | {
    "name": "名称",
    "heading": "指南标题",
    "aliases": "别名",
    "category": "类别",
    "page": "页码",
    "intro": "简介",
    "conditions": "条件",
    "legal_basis": "依据",
    "cases": "办理情形",
    "time_limit_text": "办理时限原文",
    "tips": "温馨提示",
    "phones": "电话",
    "notes": "源文件说明",
    "material_groups": "材料组",
    "materials": "材料",
    "materials.label": "材料编号",
    "materials.text": "材料原文",
    "materials.form": "原件/复印件",
    "materials.copies": "份数",
    "materials.remark": "材料备注",
    "materials.when": "材料条件",
    "materials.tolerance": "容缺/告知承诺",
    "materials.source": "资料来源",
    "paths": "办理路径",
    "time_limits": "办理时限",
    "time_limits.kind": "办理时限类型",
    "time_limits.days": "办理时限（工作日）",
    "time_limits.text": "办理时限条目原文",
    "kind": "类型",
    "number": "序号",
    "text": "说明",
    "subject": "事项",
    "item": "对应事项序号",
    "rule_subject": "非清单事项id",
    "material": "可容缺资料",
    "source": "资料来源",
    "correction_text": "补正时间",
    "cases.match": "禁办情形判断用词",
    "vocabulary": "词表内容",
    "correction.kind": "补正类型",
    "correction.days": "补正工作日",
    "description": "说明",
}

KIND_LABELS = {"added": "新增", "removed": "删除", "changed": "修改"}


def _pair(
    old: Sequence[T], new: Sequence[T], key: Callable[[T], Hashable]
) -> tuple[list[tuple[T, T]], list[T], list[T]]:
    """Match elements by key (the n-th with a key to the n-th with the same key in the other list).

    Returns (pairs in old order, removed, added).
    """
    pool: dict[Hashable, list[T]] = {}
    for x in new:
        pool.setdefault(key(x), []).append(x)
    pairs: list[tuple[T, T]] = []
    removed: list[T] = []
    for x in old:
        candidates = pool.get(key(x))
        if candidates:
            pairs.append((x, candidates.pop(0)))
        else:
            removed.append(x)
    matched = {id(b) for _a, b in pairs}
    added = [x for x in new if id(x) not in matched]
    return pairs, removed, added


def _change(field: str, before: Any, after: Any, where: str | None = None) -> dict[str, Any]:
    kind = "added" if before is None else "removed" if after is None else "changed"
    return {"field": field, "where": where, "kind": kind, "before": before, "after": after}


def _compare(
    fields: Sequence[str], old: Any, new: Any, *, prefix: str = "", where: str | None = None
) -> list[dict[str, Any]]:
    out = []
    for f in fields:
        a, b = _plain(getattr(old, f)), _plain(getattr(new, f))
        if a != b:
            out.append({"field": prefix + f, "where": where, "kind": "changed", "before": a, "after": b})
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def _scope(channel: str | None, case: str | None) -> str:
    return " · ".join(x for x in (channel or "各渠道", case) if x)


def _limit_scope(t: TimeLimit) -> str:
    return _scope("、".join(t.channels) if t.channels else None, t.case)


def _group_summary(g: MaterialGroup) -> list[str]:
    return [m.name for m in g.items] if g.items else [g.text or "不需要提供要件"]


# Every field but the ones that pair two versions' elements (a new field is compared without a change here).
_MATERIAL_FIELDS = tuple(name for name in yaml_spec(Material) if name != "name")
_GROUP_FIELDS = tuple(name for name in yaml_spec(MaterialGroup) if name not in ("channel", "case", "items"))
_PATH_FIELDS = ("label", "text", "url", "places", "generic", "district_reference")
_LIMIT_FIELDS = tuple(name for name in yaml_spec(TimeLimit) if name not in ("channels", "case"))
_ITEM_FIELDS = ("heading", "aliases", "page", "intro", "conditions", "legal_basis", "time_limit_text", "tips", "notes")
_OFFICE_FIELDS = tuple(name for name in yaml_spec(Office) if name != "id")  # the id pairs them


def _material_changes(old: Item, new: Item) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    pairs, removed, added = _pair(old.materials, new.materials, lambda g: (g.channel, g.case))
    for g in removed:
        out.append(_change("material_groups", _group_summary(g), None, _scope(g.channel, g.case)))
    for g in added:
        out.append(_change("material_groups", None, _group_summary(g), _scope(g.channel, g.case)))
    for a, b in pairs:
        where = _scope(a.channel, a.case)
        out += _compare(_GROUP_FIELDS, a, b, prefix="material_groups.", where=where)
        mpairs, mremoved, madded = _pair(a.items, b.items, lambda m: m.name)
        out += [_change("materials", m.name, None, where) for m in mremoved]
        out += [_change("materials", None, m.name, where) for m in madded]
        for ma, mb in mpairs:
            out += _compare(_MATERIAL_FIELDS, ma, mb, prefix="materials.", where=f"{where} · {ma.name}")
    return out


def _path_changes(old: Item, new: Item) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    pairs, removed, added = _pair(old.paths, new.paths, lambda p: (p.channel, p.case))
    out += [_change("paths", p.text, None, _scope(p.channel, p.case)) for p in removed]
    out += [_change("paths", None, p.text, _scope(p.channel, p.case)) for p in added]
    for a, b in pairs:
        out += _compare(_PATH_FIELDS, a, b, prefix="paths.", where=_scope(a.channel, a.case))
    return out


def _limit_changes(old: Item, new: Item) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    pairs, removed, added = _pair(old.time_limits, new.time_limits, lambda t: (t.channels, t.case))
    out += [_change("time_limits", t.text, None, _limit_scope(t)) for t in removed]
    out += [_change("time_limits", None, t.text, _limit_scope(t)) for t in added]
    for a, b in pairs:
        out += _compare(_LIMIT_FIELDS, a, b, prefix="time_limits.", where=_limit_scope(a))
    return out


def _case_text(item: Item) -> list[str]:
    return [
        c.id + (f"（{c.name}）" if c.name != c.id else "") + (f"：{c.description}" if c.description else "")
        for c in item.cases
    ]


def _phone_text(item: Item) -> list[str]:
    return [p.number + (f"（{p.label}）" if p.label else "") + (f"［{p.case}］" if p.case else "") for p in item.phones]


def item_changes(old_kb: KnowledgeBase, new_kb: KnowledgeBase, old: Item, new: Item) -> list[dict[str, Any]]:
    """What changed in one item (same 序号) between two versions."""
    out: list[dict[str, Any]] = []
    if old.name != new.name:
        out.append(_change("name", old.name, new.name))
    old_cat, new_cat = old_kb.category(old.category), new_kb.category(new.category)
    a = old_cat.name if old_cat else str(old.category)
    b = new_cat.name if new_cat else str(new.category)
    if a != b or old.category != new.category:
        out.append(_change("category", a, b))
    out += _compare(_ITEM_FIELDS, old, new)
    if _case_text(old) != _case_text(new):
        out.append(_change("cases", _case_text(old), _case_text(new)))
    if _phone_text(old) != _phone_text(new):
        out.append(_change("phones", _phone_text(old), _phone_text(new)))
    out += _material_changes(old, new)
    out += _path_changes(old, new)
    out += _limit_changes(old, new)
    return out


def _keyed_diff(
    old: Sequence[T],
    new: Sequence[T],
    key: Callable[[T], Hashable],
    summary: Callable[[T], dict[str, Any]],
    changes: Callable[[T, T], list[dict[str, Any]]],
) -> dict[str, list[dict[str, Any]]]:
    pairs, removed, added = _pair(old, new, key)
    changed = []
    for a, b in pairs:
        c = changes(a, b)
        if c:
            changed.append({**summary(b), "changes": c})
    return {"added": [summary(x) for x in added], "removed": [summary(x) for x in removed], "changed": changed}


def _office_changes(a: Office, b: Office) -> list[dict[str, Any]]:
    return _compare(_OFFICE_FIELDS, a, b)


def _prohibited_changes(a: ProhibitedRule, b: ProhibitedRule) -> list[dict[str, Any]]:
    out = _compare(("subject", "item", "rule_subject"), a, b)
    ca, cb = [_case_line(c) for c in a.cases], [_case_line(c) for c in b.cases]
    if ca != cb:
        out.append(_change("cases", ca, cb))
    wa, wb = [_words_text(c) for c in a.cases], [_words_text(c) for c in b.cases]
    if wa != wb:
        out.append(_change("cases.match", wa, wb))
    return out


def _case_line(case: ProhibitedCase) -> str:
    return (f"{case.number}. " if case.number is not None else "") + case.text


_WORD_LISTS = (
    ("establish", "成立"),
    ("rule_out", "排除"),
    ("heads", "限于提到"),
    ("scope_establish", "同句成立"),
    ("scope_rule_out", "同句排除"),
    ("affirm", "说到才成立"),
)


def _words_text(case: ProhibitedCase) -> str:
    """The vocabulary check reads a 情形 with (rules.yaml ``match``), in one line."""
    w: SituationWords | None = case.words
    if w is None:
        return "（无）"
    parts = [f"问：{w.question}"] if w.question else []
    parts += [f"{label}：{'、'.join(getattr(w, name))}" for name, label in _WORD_LISTS if getattr(w, name)]
    if w.complement:
        parts.append("两组互为反面")
    return "；".join(parts) or "（无）"


def _tolerated_changes(a: ToleratedMaterial, b: ToleratedMaterial) -> list[dict[str, Any]]:
    out = _compare(("subject", "item", "rule_subject", "material", "source", "correction_text"), a, b)
    out += _compare(("kind", "days"), a.correction, b.correction, prefix="correction.")
    return out


def _subject_changes(a: RuleSubject, b: RuleSubject) -> list[dict[str, Any]]:
    return _compare(tuple(name for name in yaml_spec(RuleSubject) if name != "id"), a, b)


def _category_changes(a: Category, b: Category) -> list[dict[str, Any]]:
    return _compare(("name",), a, b)


def diff_data(old_kb: KnowledgeBase, new_kb: KnowledgeBase) -> dict[str, Any]:
    """The differences as a JSON-able dict (see :func:`diff_output`)."""
    pairs, removed, added = _pair(old_kb.items, new_kb.items, lambda i: i.number)
    changed = []
    for a, b in pairs:
        c = item_changes(old_kb, new_kb, a, b)
        if c:
            changed.append({"number": b.number, "name": b.name, "changes": c})

    def item_summary(i: Item) -> dict[str, Any]:
        return {"number": i.number, "name": i.name}

    offices = _keyed_diff(
        old_kb.offices, new_kb.offices, lambda o: o.id, lambda o: {"id": o.id, "name": o.name}, _office_changes
    )
    rules = {
        "prohibited": _keyed_diff(
            old_kb.prohibited,
            new_kb.prohibited,
            lambda r: r.number,
            lambda r: {"number": r.number, "subject": r.subject},
            _prohibited_changes,
        ),
        "tolerated": _keyed_diff(
            old_kb.tolerated,
            new_kb.tolerated,
            lambda r: r.number,
            lambda r: {"number": r.number, "subject": r.subject},
            _tolerated_changes,
        ),
        "subjects": _keyed_diff(
            old_kb.subjects,
            new_kb.subjects,
            lambda s: s.id,
            lambda s: {"id": s.id, "name": s.name},
            _subject_changes,
        ),
    }
    categories = _keyed_diff(
        old_kb.categories,
        new_kb.categories,
        lambda c: c.id,
        lambda c: {"id": c.id, "name": c.name},
        _category_changes,
    )
    tags_old, tags_new = old_kb.conditions, new_kb.conditions
    conditions = {
        "added": [{"tag": t, "description": d} for t, d in tags_new.items() if t not in tags_old],
        "removed": [{"tag": t, "description": d} for t, d in tags_old.items() if t not in tags_new],
        "changed": [
            {"tag": t, "changes": [_change("description", d, tags_new[t])]}
            for t, d in tags_old.items()
            if t in tags_new and tags_new[t] != d
        ],
    }
    bureau = _bureau_changes(old_kb.bureau, new_kb.bureau)
    vocabulary = _vocabulary_diff(vocabulary_entries(old_kb), vocabulary_entries(new_kb))
    data: dict[str, Any] = {
        "identical": False,
        "items": {"old": len(old_kb.items), "new": len(new_kb.items)},
        "added": [item_summary(i) for i in added],
        "removed": [item_summary(i) for i in removed],
        "changed": changed,
        "offices": offices,
        "rules": rules,
        "categories": categories,
        "conditions": conditions,
        "bureau": bureau,
        "vocabulary": vocabulary,
    }
    sections: list[Any] = [offices, categories, conditions, vocabulary, *rules.values()]
    data["identical"] = (
        not (added or removed or changed) and not bureau and not any(v for s in sections for v in s.values())
    )
    return data


def vocabulary_entries(kb: KnowledgeBase) -> dict[str, str]:
    """The search vocabulary (synonyms.yaml, concepts.yaml) as entry → its content in one line: what
    ``diff`` compares, since these words change which item a clerk's question finds."""
    out = {f"同义词 {key}": "、".join(words) for key, words in kb.synonyms.items()}
    data = kb.concepts
    if data is None:
        return out
    out |= {f"概念 {c.name}": f"{c.kind}：{'、'.join(c.words)}" for c in data.concepts}
    out |= {
        f"事项描述 第{n}项": "；".join(x for x in ("核心：" + "、".join(d.core), "相关：" + "、".join(d.also) if d.also else "") if x)
        for n, d in data.items.items()
    }
    for o in data.out_of_scope:
        parts = [("词", o.words), ("同时出现", o.all_of), ("除非", o.unless)]
        out[f"不在清单 {o.topic}"] = "；".join(f"{k}：{'、'.join(v)}" for k, v in parts if v)
    for i in data.implies:
        parts = [("加上", i.add), ("去掉", i.drop), ("除非", i.unless)]
        out[f"推断 {'+'.join(i.when)}"] = "；".join(f"{k}：{'、'.join(v)}" for k, v in parts if v)
    out |= {f"方言 {word}": standard for word, standard in data.dialect.items()}
    out |= {f"情形 {key}": "、".join(words) for key, words in data.situations.items()}
    out |= {"中性词": "、".join(data.neutral), "虚词": "、".join(data.function_words)}
    return out


def _vocabulary_diff(old: dict[str, str], new: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    return {
        "added": [{"entry": k, "text": v} for k, v in new.items() if k not in old],
        "removed": [{"entry": k, "text": v} for k, v in old.items() if k not in new],
        "changed": [
            {"entry": k, "text": "", "changes": [_change("vocabulary", v, new[k])]}
            for k, v in old.items()
            if k in new and new[k] != v
        ],
    }


def _bureau_changes(old: Bureau | None, new: Bureau | None) -> list[dict[str, Any]]:
    if old is None or new is None:
        return [] if old is new else [_change("bureau.name", old and old.name, new and new.name)]
    return _compare(tuple(yaml_spec(Bureau)), old, new, prefix="bureau.")


def _show(value: Any) -> str:
    if value is None:
        return "（无）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "；".join(str(v) for v in value) or "（无）"
    return str(value)


def _label(field: str) -> str:
    return FIELD_LABELS.get(field, field)


def _change_cells(c: dict[str, Any]) -> list[str]:
    return [_label(c["field"]), c.get("where") or "", KIND_LABELS[c["kind"]], _show(c["before"]), _show(c["after"])]


def diff_output(old_kb: KnowledgeBase, new_kb: KnowledgeBase) -> Output:
    """``rsguide diff``: items added, removed and changed (materials, paths, time limits …), offices and rules."""
    d = diff_data(old_kb, new_kb)
    columns = ["对象", "编号", "名称", "变化", "项目", "范围", "原来", "现在"]
    if d["identical"]:
        return Output(d, [Section("比较结果", ["两个版本没有差别"], "ok")], columns, [])
    csv_rows: list[list[Any]] = []
    blocks: list[Block] = []
    offices, rules = d["offices"], d["rules"]

    def count(section: dict[str, list[Any]]) -> str:
        return f"新增 {len(section['added'])}，删除 {len(section['removed'])}，修改 {len(section['changed'])}"

    blocks.append(
        Fields(
            [
                ("事项数", f"{d['items']['old']} → {d['items']['new']}"),
                ("新增事项", str(len(d["added"]))),
                ("删除事项", str(len(d["removed"]))),
                ("有变化的事项", str(len(d["changed"]))),
                ("办事地点", count(offices)),
                ("禁办清单", count(rules["prohibited"])),
                ("容缺清单", count(rules["tolerated"])),
                ("检索词表", count(d["vocabulary"])),
            ],
            title="比较结果",
        )
    )
    for key, title, kind in (("added", "新增事项", "新增"), ("removed", "删除事项", "删除")):
        if d[key]:
            blocks.append(Table(title, ["序号", "事项"], [[str(i["number"]), i["name"]] for i in d[key]]))
            csv_rows += [["事项", i["number"], i["name"], kind, "", "", "", ""] for i in d[key]]
    for entry in d["changed"]:
        rows = [_change_cells(c) for c in entry["changes"]]
        blocks.append(Table(f"第{entry['number']}项 {entry['name']}", ["项目", "范围", "变化", "原来", "现在"], rows))
        csv_rows += [["事项", entry["number"], entry["name"], *_csv_change(c)] for c in entry["changes"]]
    sections = [
        ("办事地点", "id", "name", offices),
        ("禁办", "number", "subject", rules["prohibited"]),
        ("容缺", "number", "subject", rules["tolerated"]),
        ("非清单业务", "id", "name", rules["subjects"]),
        ("类别", "id", "name", d["categories"]),
        ("条件标签", "tag", "tag", d["conditions"]),
        ("检索词表", "entry", "text", d["vocabulary"]),
    ]
    if d["bureau"]:
        blocks.append(Table("人社局", ["项目", "原来", "现在"], [_change_cells(c)[:1] + _change_cells(c)[3:] for c in d["bureau"]]))
        csv_rows += [["人社局", "", "", *_csv_change(c)] for c in d["bureau"]]
    for label, key, name, section in sections:
        rows = []
        for kind in ("added", "removed"):
            for x in section[kind]:
                rows.append([str(x[key]), str(x[name]), KIND_LABELS[kind], "", "", ""])
                csv_rows.append([label, x[key], x[name], KIND_LABELS[kind], "", "", "", ""])
        for x in section["changed"]:
            for c in x["changes"]:
                rows.append(
                    [str(x[key]), str(x[name]), KIND_LABELS[c["kind"]], _label(c["field"]), *_change_cells(c)[3:]]
                )
                csv_rows.append([label, x[key], x[name], *_csv_change(c)])
        if rows:
            blocks.append(Table(label, ["编号", "名称", "变化", "项目", "原来", "现在"], rows))
    return Output(d, blocks, columns, csv_rows)


def _csv_change(c: dict[str, Any]) -> list[str]:
    return [KIND_LABELS[c["kind"]], _label(c["field"]), c.get("where") or "", _show(c["before"]), _show(c["after"])]
