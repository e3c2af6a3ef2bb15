"""``rsguide search``: the ranked list."""

from __future__ import annotations

from rsguide.commands import Result
from rsguide.errors import ExitCode
from rsguide.session import Session


def search(session: Session, *, query: str, limit: int = 10) -> Result:
    """The ranked list of items for ``query``. A query that is not on the list (or that nothing fits
    with confidence) is exit 1, an empty list, and on stderr "本清单没有与“…”对应的事项" followed by at
    most three items labelled 相关但不同."""
    from rsguide.output.views import search_results
    from rsguide.search import engine as search_module
    from rsguide.search.lookup import clean_query, not_on_list

    text = clean_query(query)
    found = search_module.analyse(session.index(), text, limit=limit)
    view = search_results(session.catalog, text, found.hits)
    if found.hits:
        return Result(view)
    return Result(
        view,
        exit_code=ExitCode.NOT_FOUND,
        message="\n".join(not_on_list(text, found).lines()),
        screen_on_failure=False,
    )
