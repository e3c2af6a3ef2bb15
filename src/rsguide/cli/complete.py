"""What shell completion offers for each kind of value (bash, zsh and fish, through Typer).

Values come from the knowledge base in use (``--data`` or ``RSGUIDE_DATA``): item numbers and names,
the conditions and cases of the item already typed, channels, kinds of place and districts.
"""

from __future__ import annotations

from collections.abc import Mapping

CHANNEL_WORDS = ("窗口办", "网上办", "掌上办", "自助办")
OFFICE_KINDS = ("district_window", "venue", "generic", "bank", "platform", "app", "machine")
MAX = 60


def candidates(
    kind: str, incomplete: str, params: Mapping[str, object], formats: tuple[str, ...] = ()
) -> list[tuple[str, str]]:
    """(value, description) pairs of ``kind`` starting with — or, for names, containing — ``incomplete``."""
    try:
        found = _candidates(kind, params, formats)
    except Exception:  # completion must never print an error into the shell
        return []
    typed = incomplete.strip()
    starts = [c for c in found if c[0].startswith(typed)]
    if kind == "item" and typed and not typed.isdigit():
        starts += [c for c in found if typed in c[0] and c not in starts]
    return starts[:MAX]


def _candidates(kind: str, params: Mapping[str, object], formats: tuple[str, ...]) -> list[tuple[str, str]]:
    if kind == "format":
        return [(f, "") for f in formats]
    if kind == "channel":
        return [(c, "") for c in CHANNEL_WORDS]
    if kind == "kind":
        return [(k, "") for k in OFFICE_KINDS]
    from rsguide.session import Session

    data = params.get("data") or None
    session = Session(str(data) if data else None)
    kb = session.kb
    if kind == "item":
        out = [(str(i.number), i.name) for i in kb.items]
        out += [(i.name, f"第{i.number}项") for i in kb.items]
        return out
    if kind == "district":
        names = sorted({str(o.district) for o in kb.offices if getattr(o, "district", None)})
        return [(n, "") for n in names]
    item = None
    query = params.get("query") or params.get("subject")
    if query:
        from rsguide.search.lookup import resolve

        try:
            item = resolve(kb, session.index, str(query)).item
        except Exception:
            item = None
    if kind == "when":
        tags = item.condition_tags if item is not None else tuple(kb.conditions)
        return [(t, kb.conditions.get(t, "")) for t in tags]
    if kind == "case":
        items = [item] if item is not None else list(kb.items)
        seen: dict[str, str] = {}
        for it in items:
            for c in it.cases:
                seen.setdefault(c.id, c.name if c.name != c.id else "")
        return list(seen.items())
    return []
