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
    document: str | None = None,
    fmt: str = "table",
    force: bool = False,
) -> Result:
    """The verdict; its exit code is the verdict's (README「退出码」).

    ``document``: also write the paper the verdict calls for (:mod:`rsguide.output.documents`), in the
    file's format (``fmt`` markdown/plain wins); a verdict to be confirmed writes none and says why.
    """
    from rsguide.check.checker import check as run_check
    from rsguide.check.checker import parse_date
    from rsguide.output.views import verdict_view

    kb = session.catalog
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
    result = Result(
        verdict_view(kb, v),
        exit_code=v.exit_code,
        item=(item.number, item.name) if item is not None else None,
    )
    if document:
        from rsguide.output.documents import issue_document

        issued = issue_document(kb, v, document, fmt=fmt, force=force)
        if issued.path is None:
            result.message = issued.messages[0]
        else:
            result.written = issued.messages[0].removeprefix("已写入 ")
    return result
