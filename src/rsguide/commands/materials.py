"""``rsguide materials``: the checklist this applicant brings."""

from __future__ import annotations

from collections.abc import Sequence

from rsguide.commands import Result
from rsguide.session import Session


def materials(
    session: Session,
    *,
    query: str,
    channel: str | None = None,
    case: str | None = None,
    when: Sequence[str] = (),
    all_channels: bool = False,
) -> Result:
    """The materials of the chosen channel, case and conditions."""
    from rsguide.check.checklist import build_checklist, choose_channel, resolve_case, resolve_tags
    from rsguide.output.views import checklist_view
    from rsguide.search.lookup import resolve

    kb = session.catalog
    item = resolve(kb, session.index, query).item
    ch = None if all_channels else choose_channel(item, channel)
    cl = build_checklist(item, channel=ch, case=resolve_case(item, case), when=resolve_tags(item, list(when), kb.conditions))
    scope = "、".join(x for x in (cl.channel, cl.case) if x) or "本事项"
    notes = [f"条件“{t}”与{scope}的材料无关" for t in cl.unused_when]
    return Result(checklist_view(kb, cl), item=(item.number, item.name), notes=notes)
