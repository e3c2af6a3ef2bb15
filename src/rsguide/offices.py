"""Finding offices: by district or name, and where an item is handled."""

from __future__ import annotations

from rsguide.errors import UsageError
from rsguide.model import OFFICE_KINDS, Item, KnowledgeBase, Office
from rsguide.normalize import normalize
from rsguide.render import Block, Section


def _matches(office: Office, key: str) -> bool:
    texts = [office.name, office.district or "", office.address or "", *office.aliases, office.url or ""]
    return any(key in normalize(t) for t in texts if t)


def filter_offices(kb: KnowledgeBase, query: str | None = None, kind: str | None = None) -> list[Office]:
    """Offices whose name, district, address or alias contains ``query``; optionally of one kind.

    Without a query or kind: the district windows and the city venues (the places a citizen
    can walk to), not the apps and platforms.
    """
    if kind is not None and kind not in OFFICE_KINDS:
        raise UsageError(f"未知的地点类型“{kind}”", hint=f"可用：{'、'.join(OFFICE_KINDS)}")
    offices = list(kb.offices)
    if kind:
        offices = [o for o in offices if o.kind == kind]
    if query:
        key = normalize(query)
        for suffix in ("区", "县", "市"):  # 铁西区 → also 铁西
            if len(key) > 2 and key.endswith(suffix):
                key = key[:-1]
                break
        return [o for o in offices if key and _matches(o, key)]
    if not kind:
        offices = [o for o in offices if o.kind in ("district_window", "venue")]
    return offices


def item_offices(kb: KnowledgeBase, item: Item, query: str | None = None) -> tuple[list[Office], list[Block]]:
    """Where an item is handled: the places of its paths, plus the district windows where the
    source sends the applicant to a local office."""
    seen: dict[str, Office] = {}
    lines = []
    for p in item.paths:
        channel = p.channel + (f"（{p.case}）" if p.case else "")
        lines.append(f"{channel}：{p.text}")
        for pid in p.places:
            office = kb.office(pid)
            if office is None:
                continue
            seen.setdefault(office.id, office)
            if office.see_district_windows:
                for o in kb.offices:
                    if o.kind == "district_window":
                        seen.setdefault(o.id, o)
    found = list(seen.values())
    if query:
        key = normalize(query)
        found = [o for o in found if _matches(o, key)]
    return found, [Section("源文件的办理路径", lines)]
