"""``rsguide search``: the ranked list."""

from __future__ import annotations

from rsguide.commands import Result
from rsguide.errors import ExitCode
from rsguide.session import Session


def search(session: Session, *, query: str, limit: int = 10) -> Result:
    """The ranked list of items for ``query``; nothing found is exit 1 with suggestions."""
    from rsguide import search as search_module
    from rsguide.lookup import clean_query, did_you_mean
    from rsguide.views import search_results

    text = clean_query(query)
    index = session.index()
    hits = search_module.search(index, text, limit=limit)
    view = search_results(session.catalog, text, hits)
    if hits:
        return Result(view)
    near = search_module.suggest(index, text)
    return Result(
        view,
        exit_code=ExitCode.NOT_FOUND,
        message=f"没有找到“{text[:40]}”；{did_you_mean(near)}",
        screen_on_failure=False,
    )
