"""Regular expressions compiled on first use.

On Python 3.11 a character class that holds characters past U+00FF in more than two runs costs
0.2–3 ms to compile (``re`` builds a map of all 65,536 BMP code points, and a class of tens of
thousands of CJK characters fills it one by one). A pattern that a command may never use is made
with :class:`LazyPattern` instead, so that the commands that don't use it don't pay for it.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # typing is not imported at run time (start-up)
if TYPE_CHECKING:
    from typing import Any


class LazyPattern:
    """Stands in for ``re.compile(source, flags)``: compiled when an attribute (``search``,
    ``findall``, ``sub`` …) is first asked for."""

    __slots__ = ("_compiled", "_flags", "_source")

    def __init__(self, source: str, flags: int = 0) -> None:
        self._source, self._flags = source, flags
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern (compiled now if it was not yet)."""
        if self._compiled is None:
            self._compiled = re.compile(self._source, self._flags)
        return self._compiled

    def match(self, text: str, *args: int) -> re.Match[str] | None:
        return self.compiled().match(text, *args)

    def split(self, text: str, maxsplit: int = 0) -> list[Any]:
        return self.compiled().split(text, maxsplit)

    def search(self, text: str, *args: int) -> re.Match[str] | None:
        return self.compiled().search(text, *args)

    def fullmatch(self, text: str, *args: int) -> re.Match[str] | None:
        return self.compiled().fullmatch(text, *args)

    def findall(self, text: str, *args: int) -> list[Any]:
        return self.compiled().findall(text, *args)

    def sub(self, repl: Any, text: str, count: int = 0) -> str:
        return self.compiled().sub(repl, text, count)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.compiled(), name)
