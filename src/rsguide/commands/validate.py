"""``rsguide validate``: check a knowledge base."""

from __future__ import annotations

from rsguide.commands import Result
from rsguide.errors import ExitCode
from rsguide.session import Session


def validate(session: Session, *, strict: bool = False) -> Result:
    """Every error (exit 3) or the counts and every warning."""
    from rsguide.kb.loader import load_with_warnings

    kb, warnings = load_with_warnings(session.data)
    counts = (
        f"{len(kb.items)} 个事项，{len(kb.offices)} 个地点，{len(kb.prohibited)} 条禁办，{len(kb.tolerated)} 条容缺"
    )
    failed = strict and bool(warnings)
    lines = [f"知识库未通过严格检查（--strict）：{counts}，{len(warnings)} 条警告。" if failed else f"知识库有效：{counts}。"]
    lines += [f"警告 {w}" for w in warnings]
    if warnings and not failed:
        lines.append(f"共 {len(warnings)} 条警告。")
    return Result(text="\n".join(lines) + "\n", exit_code=ExitCode.DATA_ERROR if failed else ExitCode.OK)
