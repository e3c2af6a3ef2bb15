"""``rsguide check``: can the application be accepted."""

from __future__ import annotations

from collections.abc import Sequence

from rsguide.commands import Result
from rsguide.session import Session


def check(
    session: Session,
    *,
    subject: str,
    have: Sequence[str] = (),
    missing: Sequence[str] = (),
    situation: Sequence[str] = (),
    when: Sequence[str] = (),
    case: str | None = None,
    channel: str | None = None,
    date: str | None = None,
) -> Result:
    """The verdict; its exit code is the verdict's (README「退出码」)."""
    from rsguide.checker import check as run_check
    from rsguide.checker import parse_date
    from rsguide.views import verdict_view

    kb = session.kb
    v = run_check(
        kb,
        session.index,
        subject,
        have=have,
        missing=missing,
        situations=situation,
        when=when,
        case=case,
        channel=channel,
        date=parse_date(date),
    )
    item = v.subject.item
    return Result(
        verdict_view(kb, v),
        exit_code=v.exit_code,
        item=(item.number, item.name) if item is not None else None,
    )
