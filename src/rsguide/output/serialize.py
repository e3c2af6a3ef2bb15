"""Plain-data views of the knowledge base: the stable JSON shapes documented in docs/json.md.

Every command's JSON, YAML and CSV output is built from these dictionaries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rsguide import __version__
from rsguide.model import (
    REFERENCE_NOTE,
    Item,
    KnowledgeBase,
    Material,
    MaterialGroup,
    Office,
    Path,
    Phone,
    ProhibitedRule,
    TimeLimit,
    ToleratedMaterial,
    plain,
)

if TYPE_CHECKING:
    from rsguide.check.checker import Decision
    from rsguide.kb.api import ReadAPI
    from rsguide.search.hit import Hit


def hit_dict(h: Hit) -> dict[str, Any]:
    """A search result for JSON."""
    return {
        "number": h.number,
        "name": h.name,
        "score": h.score,
        "confidence": h.confidence,
        "matched": h.matched,
        "matched_text": h.text,
    }


def material_dict(m: Material) -> dict[str, Any]:
    """One material."""
    return {
        "label": m.label,
        "name": m.name,
        "text": m.text,
        "form": m.form,
        "copies": m.copies,
        "unit": m.unit if m.copies else None,
        "remark": m.remark,
        "when": list(m.when),
        "tolerance": m.tolerance,
        "source": m.source,
        "tolerated_copy": m.tolerated_copy,
    }


def group_dict(g: MaterialGroup) -> dict[str, Any]:
    """One material group (channel × case)."""
    return {
        "channel": g.channel,
        "case": g.case,
        "text": g.text,
        "remark": g.remark,
        "note": g.note,
        "none_required": g.none_required,
        "items": [material_dict(m) for m in g.items],
    }


def office_dict(o: Office) -> dict[str, Any]:
    """One office, venue, platform, app or machine: its declared fields (:func:`rsguide.model.plain`)."""
    return plain(o)


def where_dicts(kb: ReadAPI, p: Path) -> list[dict[str, Any]]:
    """The places of a path with their kind: ``named`` (an office), ``generic`` (the source's wording,
    no address) or ``reference`` (the district windows, only for reference)."""
    out = []
    for ref in kb.path_places(p):
        entry: dict[str, Any] = {"kind": ref.kind, "text": ref.text, "offices": [office_dict(o) for o in ref.offices]}
        entry["note"] = REFERENCE_NOTE if ref.kind == "reference" else None
        out.append(entry)
    return out


def path_dict(kb: ReadAPI, p: Path) -> dict[str, Any]:
    """One path (办理路径) with its places resolved."""
    return {
        "channel": p.channel,
        "case": p.case,
        "label": p.label,
        "text": p.text,
        "url": p.url,
        "places": [office_dict(o) for o in (kb.office(pid) for pid in p.places) if o],
        "generic": list(p.generic),
        "district_reference": p.district_reference,
        "where": where_dicts(kb, p),
    }


def time_limit_dict(t: TimeLimit) -> dict[str, Any]:
    """One time limit, with the short form the views print."""
    return {
        "channels": list(t.channels),
        "case": t.case,
        "text": t.text,
        "kind": t.kind,
        "days": t.days,
        "condition": t.condition,
        "qualifier": t.qualifier,
        "summary": t.summary,
    }


def phone_dict(p: Phone) -> dict[str, Any]:
    """One consultation phone of an item."""
    return {"number": p.number, "label": p.label, "case": p.case}


def prohibited_dict(r: ProhibitedRule) -> dict[str, Any]:
    """One row of the 禁办 list."""
    return {
        "number": r.number,
        "subject": r.subject,
        "item": r.item,
        "rule_subject": r.rule_subject,
        "cases": [{"number": c.number, "text": c.text} for c in r.cases],
    }


def tolerated_dict(r: ToleratedMaterial) -> dict[str, Any]:
    """One row of the 容缺 list."""
    return {
        "number": r.number,
        "subject": r.subject,
        "item": r.item,
        "rule_subject": r.rule_subject,
        "material": r.material,
        "source": r.source,
        "correction_text": r.correction_text,
        "correction": {"kind": r.correction.kind, "days": r.correction.days},
    }


def item_dict(kb: ReadAPI, item: Item) -> dict[str, Any]:
    """The whole item card, with places resolved and the rules that concern the item."""
    category = kb.category(item.category)
    return {
        "number": item.number,
        "name": item.name,
        "heading": item.heading,
        "aliases": list(item.aliases),
        "category": category.name if category else None,
        "category_id": item.category,
        "page": item.page,
        "intro": item.intro,
        "conditions": list(item.conditions),
        "legal_basis": item.legal_basis,
        "cases": [{"id": c.id, "name": c.name, "description": c.description} for c in item.cases],
        "channels": list(item.channels),
        "condition_tags": {t: kb.conditions.get(t, "") for t in item.condition_tags},
        "materials": [group_dict(g) for g in item.materials],
        "paths": [path_dict(kb, p) for p in item.paths],
        "time_limit_text": item.time_limit_text,
        "time_limits": [time_limit_dict(t) for t in item.time_limits],
        "tips": list(item.tips),
        "phones": [phone_dict(p) for p in item.phones],
        "notes": list(item.notes),
        "rules": {
            "prohibited": [prohibited_dict(r) for r in kb.prohibited_for(item=item.number)],
            "tolerated": [tolerated_dict(r) for r in kb.tolerated_for(item=item.number)],
        },
    }


def kb_dict(kb: KnowledgeBase, items: list[Item] | None = None) -> dict[str, Any]:
    """The whole knowledge base (or a selection of items) as one object."""
    chosen = list(kb.items) if items is None else items
    numbers = {i.number for i in chosen}
    # A selection keeps the rules about its items and those about subjects that are not items.
    prohibited = [r for r in kb.prohibited if r.item is None or r.item in numbers]
    tolerated = [r for r in kb.tolerated if r.item is None or r.item in numbers]
    return {
        "rsguide_version": __version__,
        "categories": [{"id": c.id, "name": c.name} for c in kb.categories],
        "conditions": dict(kb.conditions),
        "bureau": (
            plain(kb.bureau) if kb.bureau else None
        ),
        "items": [item_dict(kb, i) for i in chosen],
        "offices": [office_dict(o) for o in kb.offices],
        "rules": {
            "subjects": [
                plain(s) for s in kb.subjects
            ],
            "prohibited": [prohibited_dict(r) for r in prohibited],
            "tolerated": [tolerated_dict(r) for r in tolerated],
        },
    }


def verdict_dict(v: Decision) -> dict[str, Any]:
    """The JSON contract of ``rsguide check`` (docs/json.md)."""
    return {
        "verdict": v.verdict.value,
        "verdict_text": v.text,
        "subject": v.subject.as_dict(),
        "date": v.date.isoformat(),
        "channel": v.channel,
        "case": v.case,
        "when": list(v.when),
        "reasons": list(v.reasons),
        "missing": [
            {"name": x.material.name, "label": x.material.label, "text": x.material.text, "part": x.part}
            for x in v.lacking
        ],
        "present": [m.name for m in v.present],
        "tolerated": [t.as_dict() for t in v.tolerated],
        "prohibited": v.prohibited,
        "questions": [
            {"rule": f.rule.number, "situation": f.case.text, "label": f.label, "question": f.question}
            for f in v.questions
        ],
        "conditions": [c.as_dict() for c in v.conditions],
        "situations": [
            {
                "label": f.label,
                "rule": f.rule.number,
                "situation": f.case.text,
                "judgement": f.judgement.value,
                "evidence": list(f.evidence),
            }
            for f in v.findings
        ],
        "correction_deadline": v.correction_deadline.isoformat() if v.correction_deadline else None,
        "due_date": v.due_date.isoformat() if v.due_date else None,
        "time_limit": (
            {"text": v.time_limit.text, "kind": v.time_limit.kind, "days": v.time_limit.days} if v.time_limit else None
        ),
        "warnings": list(v.warnings),
    }
