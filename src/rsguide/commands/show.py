"""``rsguide show``: the item card."""

from __future__ import annotations

from rsguide.commands import Result
from rsguide.session import Session


def show(session: Session, *, query: str, full: bool = False) -> Result:
    """The card of the best item for ``query``: the compact card for the window, or with
    ``full`` the whole card. The data (JSON, YAML, CSV) are the whole item either way."""
    from rsguide.card import compact_card
    from rsguide.lookup import resolve
    from rsguide.views import item_card

    catalog = session.catalog
    found = resolve(catalog, session.index, query)
    view = item_card if full else compact_card
    return Result(view(catalog, found.item, found.others), item=(found.item.number, found.item.name))
