"""Exit codes and the one exception family of rsguide.

The domain raises :class:`RsguideError` subclasses; only the CLI turns them into a one-line
message on stderr and the exit code they carry.
"""

from __future__ import annotations

from enum import IntEnum

from rsguide.records import dataclass


class ExitCode(IntEnum):
    """Documented exit codes (README「退出码」)."""

    OK = 0  # 找到 / 可以受理 / 容缺受理
    NOT_FOUND = 1  # 没有匹配的事项、地点或材料
    USAGE = 2  # 命令或参数用错
    DATA_ERROR = 3  # 知识库文件缺失、损坏或校验不通过
    INCOMPLETE = 4  # check：材料不全
    PROHIBITED = 5  # check：禁办，不予受理
    OUTPUT_ERROR = 6  # 输出文件无法写入或已存在
    UNCONFIRMED = 7  # check：禁办情形待确认
    INTERRUPTED = 130  # Ctrl-C


class RsguideError(Exception):
    """Base of every error rsguide reports to the user; ``str()`` is the Chinese message."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}；{self.hint}" if self.hint else self.message


class UsageError(RsguideError):
    """A bad option value or argument."""

    exit_code = ExitCode.USAGE


class NotFoundError(RsguideError):
    """Nothing matches the query; ``suggestions`` are (number, name) pairs to offer."""

    exit_code = ExitCode.NOT_FOUND

    def __init__(
        self, message: str, *, hint: str | None = None, suggestions: list[tuple[int, str]] | None = None
    ) -> None:
        super().__init__(message, hint=hint)
        self.suggestions = suggestions or []


class OutputError(RsguideError):
    """An output file that cannot or may not be written."""

    exit_code = ExitCode.OUTPUT_ERROR


@dataclass(frozen=True)
class Issue:
    """One problem found in a knowledge-base file."""

    file: str
    line: int | None
    entry: str | None
    key: str | None
    message: str

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        parts = [p for p in (self.entry, self.key) if p]
        loc = " ".join(parts)
        return f"{where}: {loc + ': ' if loc else ''}{self.message}"


class DataError(RsguideError):
    """The knowledge base cannot be loaded; carries every issue found, not only the first."""

    exit_code = ExitCode.DATA_ERROR

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        first = str(issues[0]) if issues else "未知错误"
        more = f"（共 {len(issues)} 处错误）" if len(issues) > 1 else ""
        super().__init__(
            f"知识库有误{more}：{first}",
            hint="请修正数据文件后重试，或运行 rsguide validate 查看全部错误",
        )
