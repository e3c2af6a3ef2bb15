"""Which materials this applicant must bring: an item's materials for one channel, case and
set of conditions (代办, 首次备案 …)."""

from __future__ import annotations

from rsguide.errors import UsageError
from rsguide.model import CHANNELS, Item, Material, MaterialGroup, ToleratedMaterial
from rsguide.records import dataclass
from rsguide.search.normalize import normalize

TYPE_CHECKING = False  # typing is not imported at run time (start-up)
if TYPE_CHECKING:
    from rsguide.kb.api import ReadAPI

_CHANNEL_WORDS = {
    "窗口": "窗口办",
    "现场": "窗口办",
    "现场办": "窗口办",
    "柜台": "窗口办",
    "网上": "网上办",
    "网办": "网上办",
    "线上": "网上办",
    "网站": "网上办",
    "掌上": "掌上办",
    "手机": "掌上办",
    "app": "掌上办",
    "自助": "自助办",
    "自助机": "自助办",
}


def parse_channel(text: str | None) -> str | None:
    """A channel name from what a clerk types (窗口, 网上, 现场办 …); ``None`` stays ``None``."""
    if text is None:
        return None
    key = normalize(text)
    for channel in CHANNELS:
        if key == channel:
            return channel
    if key in _CHANNEL_WORDS:
        return _CHANNEL_WORDS[key]
    raise UsageError(f"未知的办理渠道“{text}”", hint=f"可用：{'、'.join(CHANNELS)}")


def resolve_case(item: Item, text: str | None) -> str | None:
    """The id of the case the clerk means (exact, or a unique partial match)."""
    if text is None:
        return None
    if not item.cases:
        raise UsageError(f"第{item.number}项“{item.name}”没有办理情形之分，请去掉 --case")
    key = normalize(text)
    exact = [c.id for c in item.cases if key in (normalize(c.id), normalize(c.name))]
    if exact:
        return exact[0]
    partial = [c.id for c in item.cases if key in normalize(c.id) or key in normalize(c.name)]
    if len(partial) == 1:
        return partial[0]
    known = "、".join(c.id for c in item.cases)
    raise UsageError(f"第{item.number}项没有办理情形“{text}”", hint=f"可用：{known}")


def resolve_tags(item: Item, texts: list[str] | tuple[str, ...], known: dict[str, str]) -> tuple[str, ...]:
    """Condition tags from what the clerk types (exact, or a unique partial match)."""
    tags: list[str] = []
    usable = list(item.condition_tags) or list(known)
    for text in texts:
        key = normalize(text)
        exact = [t for t in usable if normalize(t) == key]
        partial = [t for t in usable if key and (key in normalize(t) or normalize(t) in key)]
        found = exact or (partial if len(partial) == 1 else [])
        if not found:
            hint = (
                f"本事项可用：{'、'.join(item.condition_tags)}" if item.condition_tags else "本事项的材料没有条件之分"
            )
            raise UsageError(f"未知的条件“{text}”", hint=hint)
        if found[0] not in tags:
            tags.append(found[0])
    return tuple(tags)


def cases_matter(item: Item) -> bool:
    """Whether the item's materials differ by case."""
    return any(g.case is not None for g in item.materials)


def copy_tolerance(kb: ReadAPI, item: Item, m: Material) -> ToleratedMaterial | None:
    """The 容缺 row that tolerates a missing copy of ``m`` (``m.tolerated_copy``), or ``None``.

    The document itself is not tolerated: only its copy, in the 容缺 list's words."""
    if not m.tolerated_copy:
        return None
    return next((r for r in kb.tolerated_for(item=item.number) if r.material == m.tolerated_copy), None)


def copied_material(item: Item, row: ToleratedMaterial) -> Material | None:
    """The item's material whose copy the 容缺 row ``row`` tolerates, or ``None``."""
    return next((m for g in item.materials for m in g.items if m.tolerated_copy == row.material), None)


@dataclass(frozen=True, slots=True)
class CaseSection:
    """The part of a checklist that belongs to one case (``None``: the item has no case split)."""

    case: str | None
    groups: tuple[MaterialGroup, ...]
    required: tuple[tuple[MaterialGroup, Material], ...]
    conditional: tuple[tuple[MaterialGroup, Material], ...]

    @property
    def notes(self) -> tuple[str, ...]:
        """The remarks and notes of this case's groups, each once."""
        return tuple(dict.fromkeys(x for g in self.groups for x in (g.remark, g.note) if x))


@dataclass(frozen=True, slots=True)
class Checklist:
    """The materials one applicant must bring, and those needed only in other situations."""

    item: Item
    channel: str | None
    case: str | None
    when: tuple[str, ...]
    groups: tuple[MaterialGroup, ...]
    required: tuple[tuple[MaterialGroup, Material], ...]
    conditional: tuple[tuple[MaterialGroup, Material], ...]

    @property
    def unused_when(self) -> tuple[str, ...]:
        """The conditions given that no material of the chosen channel and case depends on."""
        used = {t for g in self.groups for m in g.items for t in m.when}
        return tuple(t for t in self.when if t not in used)

    @property
    def none_required(self) -> bool:
        """The source says this channel needs no material."""
        return bool(self.groups) and all(g.none_required for g in self.groups)

    def by_case(self) -> tuple[CaseSection, ...]:
        """The checklist split by case where no case was chosen and the groups differ by case
        (item 1: 用工备案 and 解除备案 each with their own list and note); else one section."""
        cases = [c.id for c in self.item.cases if any(g.case == c.id for g in self.groups)]
        if self.case is not None or len(cases) < 2:
            return (CaseSection(self.case, self.groups, self.required, self.conditional),)
        out = []
        for case in cases:

            def mine(g: MaterialGroup, _case: str = case) -> bool:
                return g.case is None or g.case == _case

            out.append(
                CaseSection(
                    case,
                    tuple(g for g in self.groups if mine(g)),
                    tuple(x for x in self.required if mine(x[0])),
                    tuple(x for x in self.conditional if mine(x[0])),
                )
            )
        return tuple(out)


def default_channel(item: Item) -> str | None:
    """窗口办 where the item offers it (the clerk is at a window), else its first channel."""
    if "窗口办" in item.channels:
        return "窗口办"
    return item.channels[0] if item.channels else None


def choose_channel(item: Item, text: str | None) -> str | None:
    """The channel the clerk asked for (default: :func:`default_channel`), which the item must offer."""
    channel = parse_channel(text) or default_channel(item)
    if channel and item.channels and channel not in item.channels:
        raise UsageError(f"第{item.number}项没有{channel}渠道", hint=f"可用：{'、'.join(item.channels)}")
    return channel


def build_checklist(
    item: Item,
    *,
    channel: str | None = None,
    case: str | None = None,
    when: tuple[str, ...] = (),
) -> Checklist:
    """Select the item's materials for a channel (``None``: every channel), a case and conditions."""
    groups = tuple(
        g
        for g in item.materials
        if (channel is None or g.channel is None or g.channel == channel)
        and (case is None or g.case is None or g.case == case)
    )
    required: list[tuple[MaterialGroup, Material]] = []
    conditional: list[tuple[MaterialGroup, Material]] = []
    for g in groups:
        for m in g.items:
            (required if set(m.when) <= set(when) else conditional).append((g, m))
    return Checklist(item, channel, case, when, groups, tuple(required), tuple(conditional))
