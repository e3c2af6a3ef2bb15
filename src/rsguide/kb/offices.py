"""Finding offices: by district or name, and where an item is handled."""

from __future__ import annotations

from rsguide.errors import UsageError
from rsguide.model import OFFICE_KINDS, Item, Office
from rsguide.records import dataclass
from rsguide.search.normalize import normalize

TYPE_CHECKING = False  # typing is not imported at run time (start-up)
if TYPE_CHECKING:
    from rsguide.kb.api import ReadAPI


def _matches(office: Office, key: str) -> bool:
    texts = [office.name, office.district or "", office.address or "", *office.aliases, office.url or ""]
    return any(key in normalize(t) for t in texts if t)


def filter_offices(kb: ReadAPI, query: str | None = None, kind: str | None = None) -> list[Office]:
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


@dataclass(frozen=True)
class ItemPlace:
    """A place of an item's path: how the source names it (``named`` / ``generic`` / ``reference``)."""

    kind: str
    channel: str
    case: str | None
    text: str
    """The office's name, the source's generic wording, or the reference label."""
    offices: tuple[Office, ...] = ()


def item_places(kb: ReadAPI, item: Item, query: str | None = None) -> list[ItemPlace]:
    """Where an item is handled, path by path: the named offices, the source's generic wording
    (shown as the place itself) and, where that wording refers to district level, the district
    windows as a reference. ``query`` keeps the places whose name, district, address or wording
    contains it."""
    out: list[ItemPlace] = []
    key = normalize(query) if query else ""
    for p in item.paths:
        for ref in kb.path_places(p):
            offices = ref.offices
            if key:
                if ref.kind == "generic":
                    if key not in normalize(ref.text):
                        continue
                else:
                    offices = tuple(o for o in offices if _matches(o, key))
                    if not offices:
                        continue
            out.append(ItemPlace(ref.kind, p.channel, p.case, ref.text, offices))
    return out
