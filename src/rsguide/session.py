"""The knowledge base and its search index for one run, loaded lazily and at most once.

Loading goes through the compiled store (:mod:`rsguide.kb.cache`, :mod:`rsguide.kb.store`) so that a
command does not parse YAML or compute pinyin on every run; :attr:`Session.catalog` and
:meth:`Session.index` read only the rows they are asked for, :attr:`Session.kb` is the whole
knowledge base.
"""

from __future__ import annotations

import os

from rsguide.kb.api import ReadAPI
from rsguide.records import dataclass, field

TYPE_CHECKING = False  # typing is not imported at run time (start-up)
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    from rsguide.kb.eligibility import ItemEligibility
    from rsguide.kb.store import Store
    from rsguide.model import (
        Bureau,
        Category,
        Item,
        KnowledgeBase,
        Office,
        PlaceRef,
        ProhibitedRule,
        RuleSubject,
        ToleratedMaterial,
    )
    from rsguide.model import Path as ItemPath
    from rsguide.search.engine import SearchIndex


class Catalog(ReadAPI):
    """The knowledge base as commands see it: every attribute of the knowledge base but its items
    (categories, offices, rules …), and items read one at a time from the store."""

    def __init__(self, store: Store, read: Any = None, fallback: Any = None) -> None:
        self._store = store
        self._parts: dict[str, Any] = {}
        self._lite: KnowledgeBase | None = None
        self._read = read or store.item
        self._fallback = fallback  # () → the knowledge base from the YAML, when the store is damaged
        self._items: dict[int, Item | None] = {}

    def _part(self, name: str) -> Any:
        """One part of the knowledge base, decoded alone when first asked for (search results need
        the categories only: not the offices, the rules or the concept data)."""
        if name not in self._parts:
            try:
                self._parts[name] = self._store.part(name)
            except Exception:  # a damaged store: answer from the YAML
                if self._fallback is None:
                    raise
                return getattr(self._fallback(), name)
        return self._parts[name]

    @property
    def _core(self) -> KnowledgeBase:
        """Every part of the knowledge base but its items and concept data, for its look-up methods."""
        if self._lite is None:
            try:
                self._lite = self._store.core(concepts=False)
            except Exception:  # a damaged store: answer from the YAML
                if self._fallback is None:
                    raise
                kb: KnowledgeBase = self._fallback()
                return kb
        return self._lite

    def item(self, number: int) -> Item | None:
        """The item with this 序号, or ``None``."""
        if number not in self._items:
            if len(self._items) > 10_000:
                self._items.clear()
            self._items[number] = self._read(number)
        return self._items[number]

    def item_category(self, number: int) -> int | None:
        """The category of the item with this 序号, without decoding the item (search results)."""
        if number in self._items:
            item = self._items[number]
            return item.category if item is not None else None
        try:
            return self._store.item_category(number)
        except Exception:  # a damaged store: as the item itself is read
            found = self.item(number)
            return found.category if found is not None else None

    def exact_number(self, key: str) -> int | None:
        """The 序号 whose name, heading or alias folds to ``key``."""
        return self._store.exact_number(key)

    @property
    def last_number(self) -> int:
        """The highest 序号."""
        return self._store.last_number

    @property
    def item_count(self) -> int:
        """How many items there are."""
        return self._store.item_count

    @property
    def items(self) -> tuple[Item, ...]:
        """Every item (decodes the whole knowledge base: for exports, not for lookups)."""
        return tuple(self._store.items())

    # the rest of the read API, from the store's core (every part of the knowledge base but the items)

    @property
    def categories(self) -> tuple[Category, ...]:
        """The categories."""
        return self._part("categories")  # type: ignore[no-any-return]

    @property
    def conditions(self) -> dict[str, str]:
        """Condition tag → meaning."""
        return self._part("conditions")  # type: ignore[no-any-return]

    @property
    def offices(self) -> tuple[Office, ...]:
        """Every place."""
        return self._part("offices")  # type: ignore[no-any-return]

    @property
    def subjects(self) -> tuple[RuleSubject, ...]:
        """Rule subjects that are not items."""
        return self._part("subjects")  # type: ignore[no-any-return]

    @property
    def prohibited(self) -> tuple[ProhibitedRule, ...]:
        """The 禁办 list."""
        return self._part("prohibited")  # type: ignore[no-any-return]

    @property
    def tolerated(self) -> tuple[ToleratedMaterial, ...]:
        """The 容缺 list."""
        return self._part("tolerated")  # type: ignore[no-any-return]

    @property
    def bureau(self) -> Bureau | None:
        """The issuing bureau."""
        return self._part("bureau")  # type: ignore[no-any-return]

    @property
    def eligibility(self) -> tuple[ItemEligibility, ...]:
        """The conditions ``check --situation`` reads a description against (eligibility.yaml)."""
        return self._part("eligibility")  # type: ignore[no-any-return]

    def office(self, office_id: str) -> Office | None:
        """The place with this id."""
        return self._core.office(office_id)

    def category(self, category_id: int) -> Category | None:
        """The category with this id."""
        return next((c for c in self.categories if c.id == category_id), None)

    def path_places(self, path: ItemPath) -> tuple[PlaceRef, ...]:
        """The places of a path with their kind."""
        return self._core.path_places(path)

    def prohibited_for(self, *, item: int | None = None, subject: str | None = None) -> list[ProhibitedRule]:
        """The 禁办 rows of an item or a rule subject (only the 禁办 list is decoded)."""
        from rsguide.model import rules_about

        return rules_about(self.prohibited, item=item, subject=subject)

    def tolerated_for(self, *, item: int | None = None, subject: str | None = None) -> list[ToleratedMaterial]:
        """The 容缺 rows of an item or a rule subject (only the 容缺 list is decoded)."""
        from rsguide.model import rules_about

        return rules_about(self.tolerated, item=item, subject=subject)


@dataclass
class Session:
    """Lazily loaded state shared by the commands of one process (and by the interactive mode)."""

    data: str | os.PathLike[str] | None = None
    use_cache: bool = True
    _kb: KnowledgeBase | None = field(default=None, init=False, repr=False)
    _index: SearchIndex | None = field(default=None, init=False, repr=False)
    _store: Any = field(default=None, init=False, repr=False)
    _catalog: ReadAPI | None = field(default=None, init=False, repr=False)

    @property
    def data_dir(self) -> Path:
        """The folder of the knowledge base in use."""
        from rsguide.kb.paths import resolve_data_dir

        return resolve_data_dir(self.data)

    def _open_store(self) -> Store | None:
        if self._store is None and self.use_cache and self._kb is None:
            from rsguide.kb import cache
            from rsguide.kb.paths import data_path

            self._store = cache.open_store(data_path(self.data)) or False
        return self._store or None

    def _damaged(self) -> None:
        """The store could not be read: forget it (and delete it) and answer from the YAML."""
        from rsguide.kb import cache
        store, self._store = self._store, False
        if store:
            cache.remove_store(store.path)

    @property
    def catalog(self) -> ReadAPI:
        """The knowledge base for looking up single items: reads only the items it is asked for
        (see :class:`Catalog`); the full :attr:`kb` where there is no store."""
        if self._catalog is None:
            store = self._open_store()
            if store is not None:
                try:
                    self._catalog = Catalog(store, self._read_item, self._yaml_kb)
                except Exception:  # a damaged store: answer from the YAML instead
                    self._damaged()
            if self._catalog is None:
                self._catalog = self.kb
        return self._catalog

    def _yaml_kb(self) -> KnowledgeBase:
        """The knowledge base from the YAML after the store turned out damaged."""
        self._damaged()
        return self.kb

    def _read_item(self, number: int) -> Item | None:
        store = self._open_store()
        try:
            return store.item(number) if store is not None else self.kb.item(number)
        except Exception:  # a damaged store: answer from the YAML instead
            self._damaged()
            return self.kb.item(number)

    def item_count(self) -> int:
        """How many items the knowledge base has (without decoding them when there is a store)."""
        catalog = self.catalog
        if isinstance(catalog, Catalog):
            return catalog.item_count
        return len(self.kb.items)

    @property
    def kb(self) -> KnowledgeBase:
        """The whole validated knowledge base."""
        if self._kb is None:
            import gc

            store = self._open_store()
            if store is not None:
                try:
                    self._kb = store.knowledge_base()
                except Exception:  # a damaged store
                    self._damaged()
            if self._kb is None:
                from rsguide.kb import loader as kb_module
                self._kb = kb_module.load(self.data_dir)
            gc.freeze()  # a bulk load: these objects live as long as the process, don't rescan them
        return self._kb

    def index(self) -> SearchIndex:
        """The search index: read from the store on demand, or built in memory without one."""
        if self._index is None:
            store = self._open_store()
            if store is not None:
                try:
                    self._index = store.index()
                except Exception:  # a damaged store: build the index in memory
                    self._damaged()
            if self._index is None:
                import gc

                from rsguide.search.engine import build_index

                self._index = build_index(self.kb)
                gc.freeze()
        return self._index
