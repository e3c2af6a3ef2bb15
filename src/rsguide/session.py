"""The knowledge base and its search index for one run, loaded lazily and at most once.

Loading goes through the compiled cache (:mod:`rsguide.cache`) so that a command does not parse
YAML or compute pinyin on every run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rsguide.model import Item, KnowledgeBase

if TYPE_CHECKING:
    from rsguide.search import SearchIndex


@dataclass
class Session:
    """Lazily loaded state shared by the commands of one process (and by the interactive mode)."""

    data: str | os.PathLike[str] | None = None
    use_cache: bool = True
    _kb: KnowledgeBase | None = field(default=None, init=False, repr=False)
    _index: SearchIndex | None = field(default=None, init=False, repr=False)
    _store: Any = field(default=None, init=False, repr=False)
    _catalog: Any = field(default=None, init=False, repr=False)

    @property
    def data_dir(self) -> Path:
        """The folder of the knowledge base in use."""
        from rsguide.paths import resolve_data_dir

        return resolve_data_dir(self.data)

    def _open_store(self) -> Any:
        if self._store is None and self.use_cache and self._kb is None:
            from rsguide import cache

            self._store = cache.open_store(self.data_dir) or False
        return self._store or None

    @property
    def catalog(self) -> Any:
        """The knowledge base for looking up single items: reads only the items it is asked for
        (see :class:`rsguide.cache.Catalog`); the full :attr:`kb` where there is no cache."""
        if self._catalog is None:
            store = self._open_store()
            if store is None:
                self._catalog = self.kb
            else:
                from rsguide.cache import Catalog

                self._catalog = Catalog(store.core, store.names, sorted(store.offsets), self._read_item)
        return self._catalog

    def _read_item(self, number: int) -> Item | None:
        store = self._open_store()
        try:
            return store.read_item(number) if store is not None else self.kb.item(number)
        except Exception:  # a damaged cache: answer from the YAML instead
            self._store = False
            return self.kb.item(number)

    @property
    def kb(self) -> KnowledgeBase:
        """The whole validated knowledge base."""
        if self._kb is None:
            from rsguide import cache

            self._kb, self._index = cache.load(self.data_dir, with_index=False, use_cache=self.use_cache)
        return self._kb

    def index(self) -> SearchIndex:
        """The search index (built on first use, then cached on disk)."""
        if self._index is None:
            store = self._open_store()
            if store is not None:
                try:
                    self._index = store.index()
                except Exception:  # a damaged cache: build the index in memory
                    self._store = False
            if self._index is None:
                from rsguide.search import build_index

                self._index = build_index(self.kb)
        return self._index
