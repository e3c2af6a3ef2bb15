"""``rsguide stats`` and ``rsguide diff``."""

from __future__ import annotations

from rsguide.commands import Result
from rsguide.session import Session


def stats(session: Session) -> Result:
    """Counts per category, channel and time limit."""
    from rsguide.output.reports import stats_output

    return Result(stats_output(session.kb))


def diff(session: Session, *, old_dir: str, new_dir: str) -> Result:
    """What changed between two knowledge bases: exit 0 when nothing did, 1 when they differ (as diff(1))."""
    from rsguide.errors import ExitCode
    from rsguide.kb import loader as kb_module
    from rsguide.output.reports import diff_output

    out = diff_output(kb_module.load(old_dir), kb_module.load(new_dir))
    identical = isinstance(out.data, dict) and bool(out.data.get("identical"))
    return Result(out, exit_code=ExitCode.OK if identical else ExitCode.NOT_FOUND)
