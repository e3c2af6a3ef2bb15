"""``rsguide show``: the item card."""

from __future__ import annotations

from rsguide.commands import Result
from rsguide.errors import ExitCode
from rsguide.session import Session


def show(session: Session, *, query: str, full: bool = False) -> Result:
    """The card of the best item for ``query`` — only when that item is a confident answer;
    otherwise exit 1 with the candidates (or "本清单没有与“…”对应的事项") on stderr.

    The compact card for the window by default, the whole card with ``full``; the data (JSON,
    YAML, CSV) are the whole item either way."""
    from rsguide.output.card import compact_card
    from rsguide.output.views import item_card
    from rsguide.search.lookup import NotOnList, NotSure, resolve

    catalog = session.catalog
    try:
        found = resolve(catalog, session.index, query)
    except (NotOnList, NotSure) as exc:
        return Result(None, exit_code=ExitCode.NOT_FOUND, message="\n".join(exc.lines()))
    view = item_card if full else compact_card
    return Result(view(catalog, found.item, found.others), item=(found.item.number, found.item.name))
