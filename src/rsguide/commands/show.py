"""``rsguide show``: the item card."""

from __future__ import annotations

from rsguide.commands import Result
from rsguide.session import Session


def show(session: Session, *, query: str) -> Result:
    """The whole item card of the best item for ``query``."""
    from rsguide.lookup import resolve
    from rsguide.views import item_card

    catalog = session.catalog
    found = resolve(catalog, session.index, query)
    return Result(item_card(catalog, found.item, found.others), item=(found.item.number, found.item.name))
