"""The compact item card a clerk reads at the window (``rsguide show`` without ``--full``).

What this applicant brings on the default channel (窗口办 where the item offers it), materials
needed only under a condition summarised one line per condition, where (the places the item's
paths name, in the source's words, with the phones the data attaches to them), how long, and the
禁办/容缺 flags — short enough for an 80×24 screen. ``--full`` shows :func:`rsguide.output.views.item_card`.

Nothing here is new fact: every line is the item's data, shortened only by leaving things out.
"""

from __future__ import annotations

import re

from rsguide.check.checklist import Checklist, build_checklist, default_channel
from rsguide.model import REFERENCE_LABEL, Item, Material, MaterialGroup, Office, Phone
from rsguide.output.layout import NBSP
from rsguide.output.material_text import full_name, none_required_text
from rsguide.output.render import Block, Fields, Heading, Output, Section
from rsguide.search.hit import Hit

TYPE_CHECKING = False  # typing is not imported at run time (start-up)
if TYPE_CHECKING:
    from rsguide.kb.api import ReadAPI

FULL_HINT = "加 --full 显示全部信息"
"""The last line of the card: how to see everything."""


def compact_card(kb: ReadAPI, item: Item, others: list[Hit] | None = None) -> Output:
    """The card for the window: materials, places, time limit, 禁办/容缺 (data: the full item, as ``--full``)."""
    from rsguide.output.views import item_card

    blocks = compact_blocks(kb, item, others)
    full = item_card(kb, item, others)  # the data (JSON, CSV) stay those of the full card
    return Output(full.data, blocks, full.csv_columns, full.csv_rows)


def compact_blocks(kb: ReadAPI, item: Item, others: list[Hit] | None = None) -> list[Block]:
    """The blocks of :func:`compact_card` alone (a store's build renders the data without the full card's blocks)."""
    channel = default_channel(item)
    cl = build_checklist(item, channel=channel)
    blocks: list[Block] = [Heading(f"第{item.number}项  {item.name}")]
    blocks.append(Section(_materials_title(cl, listed=bool(kb.tolerated_for(item=item.number))), material_lines(cl)))
    places = place_lines(kb, item, channel)
    if places:
        blocks.append(Section(f"办理地点（{channel}）" if channel else "办理地点", places))
    blocks.append(Fields(fact_rows(kb, item, channel)))
    if others:
        blocks.append(Section("其他可能的事项", [f"第{h.number}项 {h.name}" for h in others]))
    return blocks


def _materials_title(cl: Checklist, *, listed: bool) -> str:
    """The heading, with the guide's remark on the group; a guide's 可容缺受理 for an item the
    《容缺办理事项清单》 does not list is said with that fact, so nobody reads it as permission."""
    title = f"{cl.channel}需带的材料" if cl.channel else "需带的材料"
    remarks = list(dict.fromkeys(g.remark.strip("（）()") for g in cl.groups if g.remark))
    if not listed:
        remarks = [f"指南写“{r}”，但容缺清单未列本事项" if r == "可容缺受理" else r for r in remarks]
    return title + (f"（{'；'.join(remarks)}）" if remarks else "")


def material_text(m: Material) -> str:
    """“代办人身份证（复印件1份，正反面）”: name (with the source's words on who issues it), then
    form, copies, remark and 容缺 mark."""
    form = (m.form or "") + (f"{m.copies}份" if m.copies else "")
    details = [x for x in (form, m.remark, m.tolerance) if x]
    return full_name(m) + (f"（{'，'.join(details)}）" if details else "")


def material_lines(cl: Checklist) -> list[str]:
    """The materials for every applicant, then one line per condition (“代办另需：…”).

    Materials keep the source's numbering (①②…) where it has one, so that the source's notes
    (“④⑤为单位首次备案提供”) still read right; otherwise they are numbered 1, 2, 3.
    """
    if cl.none_required:
        return list(dict.fromkeys(none_required_text(g) for g in cl.groups))
    if not cl.groups:
        return ["源文件未列出该渠道的材料"]
    several_cases = len({g.case for g in cl.groups}) > 1

    def label(g: MaterialGroup, m: Material, n: int | None) -> str:
        case = f"[{g.case}] " if several_cases and g.case else ""
        if m.label:
            return f"{m.label}{case}{material_text(m)}"
        return (f"{n} " if n is not None else "") + case + material_text(m)

    lines = [label(g, m, n) for n, (g, m) in enumerate(cl.required, 1)]
    conditional: dict[str, list[str]] = {}
    for g, m in cl.conditional:
        conditional.setdefault("、".join(m.when), []).append(label(g, m, None))
    also = "另需" if cl.required else "需"
    lines += [f"{when}{also}：{'；'.join(names)}" for when, names in conditional.items()]
    notes = dict.fromkeys(re.sub(r"^注[:：]\s*", "", g.note) for g in cl.groups if g.note)
    lines += [f"注：{note}" for note in notes]
    return lines


def _phones_of_item(item: Item) -> set[str]:
    return {p.number for p in item.phones}


def place_text(o: Office, item_phones: set[str]) -> str:
    """What the card adds to the source's words for a place: its phones (those the item itself
    lists are shown with their own label under 电话, not as the window's)."""
    phones = [p for p in o.phones if p not in item_phones]
    return f"电话 {'、'.join(phones)}" if phones else ""


def district_line(label: str, windows: tuple[Office, ...]) -> str:
    """The district and county windows of the source's list, with their phones, in one paragraph."""
    parts = [f"{o.district or o.name}{NBSP}{'、'.join(o.phones)}".strip(NBSP) for o in windows]
    return f"{label}：{'  '.join(parts)}" if parts else ""


def place_lines(kb: ReadAPI, item: Item, channel: str | None) -> list[str]:
    """Where the item is handled on ``channel``: the source's words per case, the phones the data
    gives the named places themselves, and the district windows where the source's wording refers
    to district level (labelled as a reference, as :meth:`KnowledgeBase.path_places` says)."""
    lines: list[str] = []
    item_phones = _phones_of_item(item)
    references: dict[str, tuple[Office, ...]] = {}
    for p in item.paths:
        if channel and p.channel != channel:
            continue
        refs = kb.path_places(p)
        extra = [t for r in refs if r.kind == "named" for o in r.offices if (t := place_text(o, item_phones))]
        text = short_place(p.text)
        if p.url and p.url not in text:
            extra.append(p.url)
        head = f"{p.case}：" if p.case else ""
        lines.append(head + text + (f"（{'；'.join(extra)}）" if extra else ""))
        for r in refs:
            if r.kind == "reference":
                references.setdefault(r.text, r.offices)
    # the model's label (本市县（市）区办事窗口，供参考) in the card's few words
    short = {REFERENCE_LABEL: "县区窗口供参考"}
    lines += [
        line for label, windows in references.items() if (line := district_line(short.get(label, label), windows))
    ]
    return lines


def short_place(text: str, limit: int = 60) -> str:
    """The source's words for a place; a text longer than ``limit`` characters is cut after its
    first sentence, marked “……”."""
    text = text.strip().rstrip("。；;")
    if len(text) <= limit or "。" not in text:
        return text
    return text.split("。")[0] + "……"


def phone_line(phones: tuple[Phone, ...]) -> str:
    """“0412-5580303、5596188（咨询投诉）”: numbers grouped by what the source says they are for."""
    groups: dict[str, list[str]] = {}
    for p in phones:
        groups.setdefault(p.label or "", []).append(p.number)
    return "；".join("、".join(nums) + (f"（{label}）" if label else "") for label, nums in groups.items())


def time_text(item: Item, channel: str | None) -> str:
    """The time limit on ``channel``, per case where it differs."""
    limits = item.time_limits_for(channel, None)
    if not limits:
        return item.time_limit_text or "源文件未写"
    parts = list(dict.fromkeys((f"{t.case}：" if t.case else "") + t.summary for t in limits))
    return "；".join(parts)


def fact_rows(kb: ReadAPI, item: Item, channel: str | None) -> list[tuple[str, str]]:
    """The short lines under the places: time limit, phones, other channels, 禁办, 容缺, notes."""
    rows: list[tuple[str, str]] = [("时限", time_text(item, channel))]
    if item.phones:
        rows.append(("电话", phone_line(item.phones)))
    other_channels = []
    for c in item.channels:
        if c == channel:
            continue
        none = build_checklist(item, channel=c).none_required
        other_channels.append(c + ("（不需要提供要件）" if none else ""))
    if other_channels:
        rows.append(("也可", "、".join(other_channels)))
    for r in kb.prohibited_for(item=item.number):
        rows += [("禁办", f"{c.text}（不予受理）") for c in r.cases]
    from rsguide.output.views import tolerated_line

    for t in kb.tolerated_for(item=item.number):  # the full card's words: the list's material, what it means here
        rows.append(("容缺", tolerated_line(item, t).removeprefix("可容缺：")))
    if item.notes:
        rows.append(("待确认", f"源文件有{len(item.notes)}处说法不一致；{FULL_HINT}"))
    else:
        rows.append(("更多", FULL_HINT))
    return rows
