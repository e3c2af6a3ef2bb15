"""The knowledge base and its search index for one run, loaded lazily and at most once.

Loading goes through the compiled cache (:mod:`rsguide.cache`) so that a command does not parse
YAML or compute pinyin on every run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from rsguide.model import KnowledgeBase
from rsguide.search import SearchIndex


@dataclass
class Session:
    """Lazily loaded state shared by the commands of one process (and by the interactive mode)."""

    data: str | os.PathLike[str] | None = None
    use_cache: bool = True
    _kb: KnowledgeBase | None = field(default=None, init=False, repr=False)
    _index: SearchIndex | None = field(default=None, init=False, repr=False)

    @property
    def data_dir(self) -> Path:
        """The folder of the knowledge base in use."""
        from rsguide.paths import resolve_data_dir

        return resolve_data_dir(self.data)

    @property
    def kb(self) -> KnowledgeBase:
        """The validated knowledge base."""
        if self._kb is None:
            self._load()
        assert self._kb is not None
        return self._kb

    def index(self) -> SearchIndex:
        """The search index (built on first use, then cached on disk)."""
        if self._index is None:
            self._load(with_index=True)
        assert self._index is not None
        return self._index

    def _load(self, with_index: bool = False) -> None:
        from rsguide import cache

        kb, index = cache.load(self.data_dir, with_index=with_index, use_cache=self.use_cache)
        self._kb = kb
        if index is not None:
            self._index = index
