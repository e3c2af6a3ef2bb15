"""Deciding at the window whether an application can be accepted.

Verdicts, strongest first: ``prohibited`` (a 禁办情形 applies) › ``incomplete`` (a required
material is missing and may not be tolerated) › ``tolerated`` (only materials of the 容缺 list or
under 告知承诺 are missing: 容缺受理) › ``ok``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rsguide.checklist import build_checklist, cases_matter, choose_channel, resolve_case, resolve_tags
from rsguide.errors import NotFoundError, UsageError
from rsguide.lookup import clean_query, resolve
from rsguide.model import Item, KnowledgeBase, Material, ProhibitedRule, RuleSubject, TimeLimit, ToleratedMaterial
from rsguide.normalize import normalize
from rsguide.search import SearchIndex, similarity
from rsguide.workdays import add_working_days

VERDICT_TEXT = {
    "ok": "可以受理",
    "tolerated": "容缺受理",
    "incomplete": "材料不全",
    "prohibited": "不予受理",
}

# Words about the form of a document, not the document itself ("身份证复印件" → 身份证).
_FORM_WORDS = re.compile(r"(原件及复印件|原件和复印件|复印件|原件|复印|正反面|一份|1份|两份|一式两份)")
_NEGATIONS = "不非未无"


@dataclass(frozen=True)
class Subject:
    """What is being applied for: one of the items, or a rule subject that is not an item."""

    item: Item | None = None
    rule_subject: RuleSubject | None = None
    query_matches_rule: tuple[ProhibitedRule, ...] = ()

    @property
    def name(self) -> str:
        """The subject's name as the source writes it."""
        if self.item:
            return self.item.name
        assert self.rule_subject is not None
        return self.rule_subject.name

    def as_dict(self) -> dict[str, Any]:
        """JSON form: ``number`` where the subject is an item, ``id`` where it is not."""
        if self.item:
            return {"kind": "item", "number": self.item.number, "name": self.item.name, "id": None}
        assert self.rule_subject is not None
        return {"kind": "rule_subject", "number": None, "name": self.rule_subject.name, "id": self.rule_subject.id}


@dataclass
class Verdict:
    """The decision and everything the clerk needs to act on it."""

    verdict: str
    subject: Subject
    date: dt.date
    channel: str | None
    case: str | None
    when: tuple[str, ...]
    reasons: list[str] = field(default_factory=list)
    missing: list[Material] = field(default_factory=list)
    present: list[Material] = field(default_factory=list)
    tolerated: list[dict[str, Any]] = field(default_factory=list)
    prohibited: list[dict[str, Any]] = field(default_factory=list)
    correction_deadline: dt.date | None = None
    due_date: dt.date | None = None
    time_limit: TimeLimit | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """可以受理 / 容缺受理 / 材料不全 / 不予受理."""
        return VERDICT_TEXT[self.verdict]

    @property
    def exit_code(self) -> int:
        """The exit code of this verdict (README「退出码」)."""
        from rsguide.errors import ExitCode

        return {"ok": ExitCode.OK, "tolerated": ExitCode.OK, "incomplete": ExitCode.INCOMPLETE}.get(
            self.verdict, ExitCode.PROHIBITED
        )


# ── matching what the clerk typed ──


def _core(text: str) -> str:
    return _FORM_WORDS.sub("", normalize(text)) or normalize(text)


def material_score(query: str, material_name: str) -> float:
    """How well a typed material (身份证) names a material of the source (存档人员有效身份证件)."""
    q, t = _core(query), _core(material_name)
    if not q or not t:
        return 0.0
    return similarity(q, t)


MATERIAL_FLOOR = 70.0


def match_material(query: str, materials: list[Material]) -> Material | None:
    """The material ``query`` names best (first in order on ties), or ``None``."""
    best: Material | None = None
    best_score = 0.0
    for m in materials:
        score = material_score(query, m.name)
        if score > best_score:
            best, best_score = m, score
    return best if best_score >= MATERIAL_FLOOR else None


# Words a clerk says for the source's wording; applied to both sides before comparing.
_SITUATION_SAME = (("查不到", "不可查"), ("查不了", "不可查"), ("不能查", "不可查"), ("属于", "符合"), ("满足", "符合"))
# Characters that carry no meaning in a described situation.
_SITUATION_STOP = frozenset("的了是有为在和与及或等个该其所被把将就都也还")
# Characters of a 情形 that only say "apply with": not what makes it a 禁办 case.
_SITUATION_GENERIC = frozenset("提供办理材料的")
DISTINCTIVE_SHARE = 0.3


def situation_matches(query: str, case_text: str, subject_name: str = "") -> bool:
    """Whether a described situation is the 禁办情形 ``case_text`` of a subject named ``subject_name``.

    Every meaningful character of the situation must occur in the 情形 (本市评审的职称证书 is not
    提供外省市职称评审材料…); both must agree on negation (证书信息网上可查 is not …不可查); and the
    situation must name part of what sets the 情形 apart from the subject itself (职称证书 alone is
    not 外省市评审的职称证书).
    """
    q, t = normalize(query), normalize(case_text)
    for said, written in _SITUATION_SAME:
        q, t = q.replace(said, written), t.replace(said, written)
    if len(q) < 2:
        return False
    if any(c in q for c in _NEGATIONS) != any(c in t for c in _NEGATIONS):
        return False
    if q in t:
        return True
    if any(c not in t and c not in _SITUATION_STOP for c in q):
        return False
    name = set(normalize(subject_name))
    distinctive = {c for c in t if c not in name and c not in _SITUATION_GENERIC}
    if not distinctive:
        return True
    return len(distinctive & set(q)) / len(distinctive) >= DISTINCTIVE_SHARE


# ── resolving the subject ──


def _subject_score(query: str, s: RuleSubject) -> float:
    q = normalize(query)
    return max(similarity(q, normalize(name)) for name in (s.name, *s.aliases))


def resolve_subject(kb: KnowledgeBase, index: Callable[[], SearchIndex], query: str) -> Subject:
    """An item (through search) or a rule subject of the 禁办/容缺 lists, whichever fits better."""
    text = clean_query(query)
    scored = [(_subject_score(text, s), s) for s in kb.subjects]
    subject_score, best_subject = max(scored, key=lambda pair: pair[0], default=(0.0, None))
    try:
        found = resolve(kb, index, text)
    except NotFoundError:
        if best_subject is not None and subject_score >= 75:
            return Subject(rule_subject=best_subject, query_matches_rule=_named_rules(kb, text))
        raise
    if best_subject is not None and subject_score > found.hit.score:
        return Subject(rule_subject=best_subject, query_matches_rule=_named_rules(kb, text))
    return Subject(item=found.item, query_matches_rule=_named_rules(kb, text, item=found.item))


def _named_rules(kb: KnowledgeBase, query: str, item: Item | None = None) -> tuple[ProhibitedRule, ...]:
    """禁办 rows whose own subject the query names, where that subject is more specific than the
    item's name (外省市评审的职称证书补发 vs 职称证书补发): the query itself states the 情形."""
    q = normalize(query)
    out = []
    for rule in kb.prohibited:
        if item is not None and rule.item != item.number:
            continue
        if item is not None and normalize(rule.subject) in {
            normalize(item.name),
            *(normalize(a) for a in item.aliases),
        }:
            continue
        if rule.item is None:
            continue
        from rapidfuzz import fuzz

        if fuzz.ratio(q, normalize(rule.subject)) >= 85:  # the whole subject, qualifier included
            out.append(rule)
    return tuple(out)


# ── the decision ──


def parse_date(text: str | None, today: dt.date | None = None) -> dt.date:
    """``YYYY-MM-DD`` (default: today)."""
    if not text:
        return today or dt.date.today()
    try:
        return dt.date.fromisoformat(unicodedata.normalize("NFKC", text).strip())
    except ValueError:
        raise UsageError(f"日期“{text}”格式不对", hint="请写成 YYYY-MM-DD，例如 2026-12-01") from None


def _time_limit(item: Item, channel: str | None, case: str | None) -> TimeLimit | None:
    # A due date needs the one limit of this case: a case-specific limit counts only when the case is known.
    return next((t for t in item.time_limits_for(channel, case) if t.case in (None, case)), None)


def check(
    kb: KnowledgeBase,
    index: Callable[[], SearchIndex],
    subject_query: str,
    *,
    have: Sequence[str] = (),
    missing: Sequence[str] = (),
    situations: Sequence[str] = (),
    when: Sequence[str] = (),
    case: str | None = None,
    channel: str | None = None,
    date: dt.date | None = None,
) -> Verdict:
    """Decide whether an application can be accepted; see the module docstring for verdicts."""
    subject = resolve_subject(kb, index, subject_query)
    day = date or dt.date.today()
    if subject.item is not None:
        return _check_item(kb, subject, list(have), list(missing), list(situations), list(when), case, channel, day)
    return _check_rule_subject(kb, subject, list(have), list(missing), list(situations), day)


def _prohibitions(rules: list[ProhibitedRule], situations: list[str], subject: Subject, v: Verdict) -> None:
    unmatched = list(situations)
    for rule in rules:
        for c in rule.cases:
            name = subject.name
            hits = [
                s
                for s in situations
                if situation_matches(s, c.text, name)
                # A row whose subject qualifies the item (外省市评审的职称证书补发) states the 情形 in it too.
                or (rule.item is not None and situation_matches(s, rule.subject, name))
            ]
            named = rule in subject.query_matches_rule
            if hits or named:
                v.prohibited.append(
                    {"rule": rule.number, "subject": rule.subject, "case": c.text, "matched": hits or [rule.subject]}
                )
                v.reasons.append(f"禁办第{rule.number}条「{rule.subject}」：{c.text}")
                unmatched = [s for s in unmatched if s not in hits]
    for s in unmatched:
        v.warnings.append(f"情形“{s}”不在本事项的禁办清单中")
    if rules and not situations and not v.prohibited:
        cases = "；".join(c.text for r in rules for c in r.cases)
        v.warnings.append(f"请核对是否属于禁办情形（--situation）：{cases}")


def _tolerated_entry(
    kb: KnowledgeBase, row: ToleratedMaterial, material: str, day: dt.date, v: Verdict
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "material": material,
        "list_material": row.material,
        "source": row.source,
        "correction": row.correction_text,
        "correction_kind": row.correction.kind,
        "correction_days": row.correction.days,
        "correction_deadline": None,
        "rule": row.number,
    }
    if row.correction.kind == "working_days" and row.correction.days:
        due = add_working_days(day, row.correction.days)
        entry["correction_deadline"] = due.date.isoformat()
        v.warnings.extend(w for w in due.warnings if w not in v.warnings)
    return entry


def _check_item(
    kb: KnowledgeBase,
    subject: Subject,
    have: list[str],
    missing: list[str],
    situations: list[str],
    when: list[str],
    case: str | None,
    channel: str | None,
    day: dt.date,
) -> Verdict:
    item = subject.item
    assert item is not None
    ch = choose_channel(item, channel)
    case_id = resolve_case(item, case)
    if case_id is None and cases_matter(item):
        cases = " 或 ".join(f"--case {c.id}" for c in item.cases)
        raise UsageError(f"第{item.number}项“{item.name}”的材料因办理情形而不同", hint=f"请加 {cases}")
    tags = resolve_tags(item, when, kb.conditions) if when else ()
    cl = build_checklist(item, channel=ch, case=case_id, when=tags)
    v = Verdict("ok", subject, day, ch, case_id, tags)
    _prohibitions(kb.prohibited_for(item=item.number), situations, subject, v)

    required = [m for _g, m in cl.required]
    conditional = [m for _g, m in cl.conditional]
    candidates = required + conditional
    names = "、".join(m.name for m in required) or "（本渠道不需要材料）"

    def find(text: str) -> Material:
        m = match_material(text, candidates)
        if m is None:
            raise NotFoundError(f"第{item.number}项没有材料“{text}”", hint=f"本情形需要的材料：{names}")
        return m

    missing_set = {id(find(t)): t for t in missing}
    if have:
        have_set = {id(find(t)) for t in have}
        for m in required:
            if id(m) not in have_set and id(m) not in missing_set:
                missing_set[id(m)] = m.name
    by_id = {id(m): m for m in candidates}
    for mid in missing_set:
        m = by_id[mid]
        if m in conditional:
            v.warnings.append(f"“{m.name}”只在{('、'.join(m.when))}时需要；如适用请加 --when")
            continue
        row = _tolerated_row(kb, item, m)
        if row is not None:
            v.tolerated.append(_tolerated_entry(kb, row, m.name, day, v))
        elif m.tolerance == "告知承诺":
            v.tolerated.append(
                {
                    "material": m.name,
                    "list_material": None,
                    "source": "申请人签署告知承诺书",
                    "correction": "告知承诺",
                    "correction_kind": "commitment",
                    "correction_days": None,
                    "correction_deadline": None,
                    "rule": None,
                }
            )
        else:
            v.missing.append(m)
    v.present = [m for m in required if id(m) not in missing_set]
    if v.missing and any(g.remark == "可容缺受理" for g in cl.groups):
        v.warnings.append(
            "指南写本渠道“可容缺受理”，但本事项不在《容缺办理事项清单》上，源文件没有可容缺的材料和补正时间"
        )
    if cl.none_required:
        v.reasons.append(f"{ch}不需要提供要件")

    limit = _time_limit(item, ch, case_id)
    v.time_limit = limit
    if limit and limit.kind == "working_days" and limit.days:
        due = add_working_days(day, limit.days)
        v.due_date = due.date
        v.warnings.extend(w for w in due.warnings if w not in v.warnings)
    _finish(v)
    return v


def _tolerated_row(kb: KnowledgeBase, item: Item, material: Material) -> ToleratedMaterial | None:
    for row in kb.tolerated_for(item=item.number):
        if material_score(row.material, material.name) >= MATERIAL_FLOOR:
            return row
    return None


def _check_rule_subject(
    kb: KnowledgeBase, subject: Subject, have: list[str], missing: list[str], situations: list[str], day: dt.date
) -> Verdict:
    rs = subject.rule_subject
    assert rs is not None
    v = Verdict("ok", subject, day, None, None, ())
    _prohibitions(kb.prohibited_for(subject=rs.id), situations, subject, v)
    rows = kb.tolerated_for(subject=rs.id)
    known = "、".join(f"{r.material}（可容缺）" for r in rows) or "无"
    for text in missing:
        row = next((r for r in rows if material_score(text, r.material) >= MATERIAL_FLOOR), None)
        if row is None:
            raise NotFoundError(f"源文件没有列出“{rs.name}”的材料“{text}”", hint=f"已知材料：{known}")
        v.tolerated.append(_tolerated_entry(kb, row, row.material, day, v))
    for text in have:
        if not any(material_score(text, r.material) >= MATERIAL_FLOOR for r in rows):
            raise NotFoundError(f"源文件没有列出“{rs.name}”的材料“{text}”", hint=f"已知材料：{known}")
    v.warnings.append(f"“{rs.name}”不在36个事项之中，源文件只有禁办/容缺清单的规定")
    _finish(v)
    return v


def _finish(v: Verdict) -> None:
    deadlines = [dt.date.fromisoformat(t["correction_deadline"]) for t in v.tolerated if t["correction_deadline"]]
    v.correction_deadline = min(deadlines) if deadlines else None
    if v.correction_deadline and v.due_date and v.correction_deadline > v.due_date:
        v.warnings.append(
            f"补正截止日 {v.correction_deadline.isoformat()} 晚于办理时限到期日 {v.due_date.isoformat()}，请按时限安排补正"
        )
    if v.tolerated and v.time_limit and v.time_limit.kind == "immediate" and v.correction_deadline:
        v.warnings.append("本事项即时办结，容缺材料的补正期限晚于办结时间，请按本局规定处理")
    if v.prohibited:
        v.verdict = "prohibited"
    elif v.missing:
        v.verdict = "incomplete"
        v.reasons.append("缺少材料：" + "、".join(m.name for m in v.missing))
    elif v.tolerated:
        v.verdict = "tolerated"
        for t in v.tolerated:
            by = t["correction_deadline"] or t["correction"]
            v.reasons.append(f"容缺：{t['material']}，资料来源：{t['source']}，补正：{by}")
    else:
        v.verdict = "ok"


def verdict_dict(v: Verdict) -> dict[str, Any]:
    """The JSON contract of ``rsguide check`` (docs/json.md)."""
    return {
        "verdict": v.verdict,
        "verdict_text": v.text,
        "subject": v.subject.as_dict(),
        "date": v.date.isoformat(),
        "channel": v.channel,
        "case": v.case,
        "when": list(v.when),
        "reasons": list(v.reasons),
        "missing": [{"name": m.name, "label": m.label, "text": m.text} for m in v.missing],
        "present": [m.name for m in v.present],
        "tolerated": list(v.tolerated),
        "prohibited": list(v.prohibited),
        "correction_deadline": v.correction_deadline.isoformat() if v.correction_deadline else None,
        "due_date": v.due_date.isoformat() if v.due_date else None,
        "time_limit": (
            {"text": v.time_limit.text, "kind": v.time_limit.kind, "days": v.time_limit.days} if v.time_limit else None
        ),
        "warnings": list(v.warnings),
    }
