"""The read API of a knowledge base: what commands and views ask of it.

Two things implement it: :class:`rsguide.model.KnowledgeBase` (everything in memory, from the YAML)
and :class:`rsguide.session.Catalog` (items read one at a time from the compiled store).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (start-up)
if TYPE_CHECKING:
    from typing import Protocol

    from rsguide.kb.eligibility import ItemEligibility
    from rsguide.model import (
        Bureau,
        Category,
        Item,
        Office,
        Path,
        PlaceRef,
        ProhibitedRule,
        RuleSubject,
        ToleratedMaterial,
    )
else:
    Protocol = object  # at run time a plain base class (Catalog extends it); a protocol for the type checker


class ReadAPI(Protocol):
    """Look-ups by number, name and key; never a scan of every item."""

    @property
    def categories(self) -> tuple[Category, ...]:
        """The categories (一、… 九、)."""
        ...

    @property
    def conditions(self) -> dict[str, str]:
        """Condition tag → what it means."""
        ...

    @property
    def offices(self) -> tuple[Office, ...]:
        """Every place, platform, app and machine."""
        ...

    @property
    def subjects(self) -> tuple[RuleSubject, ...]:
        """Subjects of the 禁办/容缺 lists that are not items."""
        ...

    @property
    def prohibited(self) -> tuple[ProhibitedRule, ...]:
        """The 禁办 list."""
        ...

    @property
    def tolerated(self) -> tuple[ToleratedMaterial, ...]:
        """The 容缺 list."""
        ...

    @property
    def eligibility(self) -> tuple[ItemEligibility, ...]:
        """The conditions ``check --situation`` reads a description against (eligibility.yaml)."""
        ...

    @property
    def bureau(self) -> Bureau | None:
        """The issuing bureau, where the data names it."""
        ...

    @property
    def last_number(self) -> int:
        """The highest 序号."""
        ...

    def item(self, number: int) -> Item | None:
        """The item with this 序号."""
        ...

    def item_category(self, number: int) -> int | None:
        """The category of the item with this 序号 (without decoding the whole item where it can)."""
        ...

    def exact_number(self, key: str) -> int | None:
        """The 序号 whose name, heading or alias folds to ``key``."""
        ...

    def office(self, office_id: str) -> Office | None:
        """The place with this id."""
        ...

    def category(self, category_id: int) -> Category | None:
        """The category with this id."""
        ...

    def path_places(self, path: Path) -> tuple[PlaceRef, ...]:
        """The places of a path with their kind (named, generic, reference)."""
        ...

    def prohibited_for(self, *, item: int | None = None, subject: str | None = None) -> list[ProhibitedRule]:
        """The 禁办 rows of an item or a rule subject."""
        ...

    def tolerated_for(self, *, item: int | None = None, subject: str | None = None) -> list[ToleratedMaterial]:
        """The 容缺 rows of an item or a rule subject."""
        ...
