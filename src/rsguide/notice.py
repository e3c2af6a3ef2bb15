"""The one-time notice (一次性告知单): everything an applicant must know about their case on one
printable page — the materials as a checklist, where to go, the online alternatives, the time
limit and its due date, 容缺 terms, 禁办 warnings, and blanks for the clerk.

:func:`build_notice` gathers the facts (reusing the checklist, the offices and the checker);
:func:`render_notice` fills one of the Jinja2 templates in ``rsguide/templates``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rsguide.checklist import (
    build_checklist,
    cases_matter,
    choose_channel,
    resolve_case,
    resolve_tags,
)
from rsguide.errors import UsageError
from rsguide.lookup import resolve
from rsguide.model import Item, KnowledgeBase, Material, MaterialGroup, Office
from rsguide.search import SearchIndex
from rsguide.workdays import add_working_days

NOTICE_FORMATS: tuple[str, ...] = ("html", "markdown", "plain")
ONLINE_CHANNELS: tuple[str, ...] = ("网上办", "掌上办", "自助办")
BLANKS: tuple[str, ...] = ("经办人", "窗口号", "申请人签收")
CHINESE_NUMERALS = "一二三四五六七八九十"
WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class NoticeMaterial:
    """One line of the checklist."""

    name: str
    text: str
    detail: str
    """原件/复印件, 份数, 备注 and 告知承诺 in one short phrase (may be empty)."""
    condition: str | None = None
    """For materials needed only in some situations: the condition and what it means."""
    tolerated: str | None = None
    """Set when the applicant lacks this material and it is accepted under 容缺 / 告知承诺: what to do."""
    still_missing: bool = False
    """The applicant lacks this material and it cannot be tolerated: they must bring it."""


@dataclass(frozen=True)
class MaterialSection:
    """The materials of one case (or of the whole item when cases do not matter)."""

    title: str | None
    required: tuple[NoticeMaterial, ...]
    conditional: tuple[NoticeMaterial, ...]
    none_required: str | None = None
    """The source's sentence when this channel needs no material."""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class NoticePlace:
    """Where to go on the chosen channel: one path of the source with its offices resolved."""

    channel: str
    case: str | None
    label: str | None
    text: str
    offices: tuple[Office, ...]
    district_windows: tuple[Office, ...] = ()
    """The district windows, where the source sends the applicant to their local office."""


@dataclass(frozen=True)
class Alternative:
    """An online, mobile or self-service way to do the same thing."""

    channel: str
    case: str | None
    label: str | None
    text: str
    url: str | None
    """The URL where the source's text does not already give it."""
    names: tuple[str, ...]
    """Platform, app or machine names the source's text does not already give."""
    time_limit: str | None
    no_materials: bool


@dataclass(frozen=True)
class LimitLine:
    """A time limit that applies, with its due date when it is counted in working days."""

    label: str
    """Whom it applies to: the channel, or the case where limits differ by case."""
    text: str
    """即时办结 / N个工作日 / the source's words."""
    source: str
    kind: str
    days: int | None = None
    due: dt.date | None = None


@dataclass(frozen=True)
class ToleratedTerm:
    """A material the applicant lacks that is accepted under 容缺 or 告知承诺."""

    material: str
    source: str
    correction: str
    kind: str
    deadline: dt.date | None = None


@dataclass(frozen=True)
class Prohibition:
    """A 禁办 情形 of the item."""

    rule: int
    subject: str
    text: str


@dataclass(frozen=True)
class Notice:
    """Everything the one-time notice shows."""

    item: Item
    category: str
    date: dt.date
    channel: str | None
    case: str | None
    when: tuple[str, ...]
    when_text: tuple[str, ...]
    conditions: tuple[str, ...]
    sections: tuple[MaterialSection, ...]
    places: tuple[NoticePlace, ...]
    alternatives: tuple[Alternative, ...]
    time_limit_text: str | None
    time_limits: tuple[LimitLine, ...]
    tolerated: tuple[ToleratedTerm, ...]
    tolerable: tuple[str, ...]
    """容缺 terms of the item in general (shown when the applicant lacks nothing)."""
    still_missing: tuple[str, ...]
    correction_deadline: dt.date | None
    prohibited: tuple[Prohibition, ...]
    tips: tuple[str, ...]
    phones: tuple[str, ...]
    notes: tuple[str, ...]
    warnings: tuple[str, ...]
    """Shown on the page (e.g. a year whose holidays are not yet published)."""
    clerk_notes: tuple[str, ...] = ()
    """For the clerk only: shown on screen, never printed."""
    blanks: tuple[str, ...] = BLANKS

    @property
    def title(self) -> str:
        """The page title: “一次性告知单 · 第4项 失业保险金申领”."""
        return f"一次性告知单 · 第{self.item.number}项 {self.item.name}"

    @property
    def case_name(self) -> str | None:
        """The chosen case as the source names it."""
        if self.case is None:
            return None
        c = self.item.case(self.case)
        return c.name if c else self.case


# ── gathering the facts ──


def _detail(m: Material) -> str:
    parts: list[str] = []
    if m.form:
        parts.append(m.form)
    if m.copies and not (m.remark and "份" in m.remark):
        parts.append(f"{m.copies}份")
    if m.remark:
        parts.append(m.remark)
    if m.tolerance == "告知承诺":
        parts.append("可告知承诺")
    return "；".join(parts)


def _tolerated_note(t: ToleratedTerm) -> str:
    if t.deadline:
        return f"本次缺少，已容缺受理：请于 {_day(t.deadline)}前补交"
    return f"本次缺少，已容缺受理（{t.correction}）"


def _tag_text(kb: KnowledgeBase, tag: str) -> str:
    return f"{tag}：{kb.conditions[tag]}" if kb.conditions.get(tag) else tag


def _condition_text(kb: KnowledgeBase, m: Material) -> str:
    return "；".join(_tag_text(kb, t) for t in m.when)


def _material(
    kb: KnowledgeBase,
    m: Material,
    *,
    conditional: bool,
    tolerated: dict[str, str],
    missing: set[str],
) -> NoticeMaterial:
    return NoticeMaterial(
        name=m.name,
        text=m.text,
        detail=_detail(m),
        condition=_condition_text(kb, m) if conditional else None,
        tolerated=tolerated.get(m.name),
        still_missing=m.name in missing,
    )


def _section(
    kb: KnowledgeBase,
    item: Item,
    title: str | None,
    *,
    channel: str | None,
    case: str | None,
    when: tuple[str, ...],
    tolerated: dict[str, str],
    missing: set[str],
) -> MaterialSection:
    cl = build_checklist(item, channel=channel, case=case, when=when)
    none = None
    if cl.none_required:
        none = "；".join(dict.fromkeys(g.text or "不需要提供要件" for g in cl.groups)).rstrip("；;")
    elif not cl.groups:
        none = "源文件未列出该渠道的材料，请向窗口咨询"
    notes = tuple(dict.fromkeys(x for g in cl.groups for x in _group_notes(g)))
    return MaterialSection(
        title=title,
        required=tuple(
            _material(kb, m, conditional=False, tolerated=tolerated, missing=missing) for _g, m in cl.required
        ),
        conditional=tuple(
            _material(kb, m, conditional=True, tolerated=tolerated, missing=missing) for _g, m in cl.conditional
        ),
        none_required=none,
        notes=notes,
    )


def _group_notes(g: MaterialGroup) -> tuple[str, ...]:
    if g.none_required:
        return ()
    notes = [f"指南注明：{g.remark}"] if g.remark else []
    if g.note:
        notes.append("注：" + re.sub(r"^注\s*[:：]\s*", "", g.note))
    return tuple(notes)


def _case_applies(path_case: str | None, case: str | None) -> bool:
    return case is None or path_case is None or path_case == case


def _places(kb: KnowledgeBase, item: Item, channel: str | None, case: str | None) -> tuple[NoticePlace, ...]:
    out: list[NoticePlace] = []
    windows = tuple(o for o in kb.offices if o.kind == "district_window")
    for p in item.paths:
        if p.channel != channel or not _case_applies(p.case, case):
            continue
        offices = tuple(o for o in (kb.office(pid) for pid in p.places) if o is not None)
        local = windows if any(o.see_district_windows for o in offices) else ()
        out.append(NoticePlace(p.channel, p.case, p.label, _one_line(p.text), offices, local))
    return tuple(out)


def _alternatives(kb: KnowledgeBase, item: Item, channel: str | None, case: str | None) -> tuple[Alternative, ...]:
    out: list[Alternative] = []
    for p in item.paths:
        if p.channel not in ONLINE_CHANNELS or p.channel == channel or not _case_applies(p.case, case):
            continue
        offices = [o for o in (kb.office(pid) for pid in p.places) if o is not None]
        url = p.url or next((o.url for o in offices if o.url), None)
        if url and _squash(url) in _squash(p.text):
            url = None
        said = _squash(p.text)
        names = tuple(dict.fromkeys(o.name for o in offices if _squash(o.name) not in said and o.name != o.url))
        limits = item.time_limits_for(p.channel, case)
        limit = "；".join(dict.fromkeys(t.summary for t in limits)) or None
        cl = build_checklist(item, channel=p.channel, case=case)
        out.append(Alternative(p.channel, p.case, p.label, _one_line(p.text), url, names, limit, cl.none_required))
    return tuple(out)


def _one_line(text: str) -> str:
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def _squash(text: str) -> str:
    return "".join(text.split()).lower()


def _time_limits(
    item: Item, channel: str | None, case: str | None, day: dt.date, warnings: list[str]
) -> tuple[LimitLine, ...]:
    limits = item.time_limits_for(channel, case)
    several = len(limits) > 1
    lines: list[LimitLine] = []
    for t in limits:
        label = (t.case or ("、".join(t.channels) if t.channels else None)) if several else None
        label = label or channel or "办理时限"
        due = None
        if t.kind == "working_days" and t.days:
            result = add_working_days(day, t.days)
            due = result.date
            warnings.extend(w for w in result.warnings if w not in warnings)
        lines.append(LimitLine(label, t.summary, t.text, t.kind, t.days, due))
    return tuple(lines)


def _phones(item: Item) -> tuple[str, ...]:
    return tuple(p.number + (f"（{p.label}）" if p.label else "") for p in item.phones)


def build_notice(
    kb: KnowledgeBase,
    index: Callable[[], SearchIndex],
    query: str,
    *,
    case: str | None = None,
    when: list[str] | tuple[str, ...] = (),
    missing: list[str] | tuple[str, ...] = (),
    channel: str | None = None,
    date: dt.date | None = None,
) -> Notice:
    """Gather everything the one-time notice of ``query`` shows for this applicant.

    ``case`` and ``when`` select the materials (as in ``rsguide materials``); ``missing`` names
    materials the applicant lacks, which are checked against the 容缺 list (as in ``rsguide check``)
    and shown with their correction deadline. ``date`` is the day of the notice (default: today).
    """
    from rsguide.checker import check
    from rsguide.views import category_label

    item = resolve(kb, index, query).item
    day = date or dt.date.today()
    ch = choose_channel(item, channel)
    case_id = resolve_case(item, case)
    tags = resolve_tags(item, list(when), kb.conditions) if when else ()
    warnings: list[str] = []
    clerk_notes: list[str] = []

    tolerated: list[ToleratedTerm] = []
    still_missing: list[str] = []
    correction_deadline: dt.date | None = None
    if missing:
        v = check(
            kb,
            index,
            str(item.number),
            missing=list(missing),
            when=list(tags),
            case=case_id,
            channel=ch,
            date=day,
        )
        for t in v.tolerated:
            tolerated.append(ToleratedTerm(t.material, t.source, t.correction, t.kind, t.deadline))
        still_missing = [m.name for m in v.missing]
        correction_deadline = v.correction_deadline
        for w in v.warnings:
            if "节假日" in w:
                warnings.append(w)
            elif not w.startswith("请核对是否属于禁办情形"):
                clerk_notes.append(w)
    until = {t.material: _tolerated_note(t) for t in tolerated}
    lacking = set(still_missing)

    if case_id is None and cases_matter(item):
        sections = tuple(
            _section(kb, item, c.name, channel=ch, case=c.id, when=tags, tolerated=until, missing=lacking)
            for c in item.cases
        )
        clerk_notes.append("本事项的材料因办理情形而不同，告知单列出了所有情形；指定情形请加 --case")
    else:
        sections = (_section(kb, item, None, channel=ch, case=case_id, when=tags, tolerated=until, missing=lacking),)

    limits = _time_limits(item, ch, case_id, day, warnings)
    tolerable = tuple(
        f"{r.material}（资料来源：{r.source}；补正时间：{r.correction_text}）"
        for r in kb.tolerated_for(item=item.number)
    )
    prohibited = tuple(
        Prohibition(r.number, r.subject, c.text) for r in kb.prohibited_for(item=item.number) for c in r.cases
    )
    return Notice(
        item=item,
        category=category_label(kb, item),
        date=day,
        channel=ch,
        case=case_id,
        when=tags,
        when_text=tuple(_tag_text(kb, t) for t in tags),
        conditions=tuple(x for x in (item.intro, *item.conditions) if x),
        sections=sections,
        places=_places(kb, item, ch, case_id),
        alternatives=_alternatives(kb, item, ch, case_id),
        time_limit_text=item.time_limit_text,
        time_limits=limits,
        tolerated=tuple(tolerated),
        tolerable=tolerable,
        still_missing=tuple(still_missing),
        correction_deadline=correction_deadline,
        prohibited=prohibited,
        tips=tuple(item.tips),
        phones=_phones(item),
        notes=tuple(item.notes),
        warnings=tuple(warnings),
        clerk_notes=tuple(clerk_notes),
    )


# ── rendering ──


def _day(d: dt.date | None) -> str:
    """``2026-12-22（星期二）``."""
    if d is None:
        return ""
    return f"{d.isoformat()}（星期{WEEKDAYS[d.weekday()]}）"


def _md(text: Any) -> str:
    """Escape the characters Markdown would read as formatting (URLs are not passed through this)."""
    out = str(text)
    for ch in ("\\", "`", "*", "_", "[", "]", "<", ">", "|", "#"):
        out = out.replace(ch, "\\" + ch)
    return out


def headings(n: Notice) -> dict[str, str]:
    """The numbered section titles of this notice (“一、需提交的材料”…); ``""`` for absent sections."""
    keys: list[tuple[str, str]] = []
    if n.conditions:
        keys.append(("conditions", "办理对象与条件"))
    keys.append(("materials", "需提交的材料（请逐项核对）"))
    if n.tolerated or n.still_missing or n.tolerable:
        keys.append(("tolerated", "容缺受理与补正"))
    keys.append(("places", "办理入口" if n.channel in ("网上办", "掌上办") else "办理地点"))
    if n.alternatives:
        keys.append(("online", "网上、掌上办理（不用跑窗口）" if n.channel == "窗口办" else "其他办理方式"))
    keys.append(("time", "办理时限"))
    if n.prohibited:
        keys.append(("prohibited", "不予办理的情形（禁办）"))
    if n.tips or n.phones:
        keys.append(("tips", "温馨提示"))
    numbered = {key: f"{CHINESE_NUMERALS[i]}、{title}" for i, (key, title) in enumerate(keys)}
    return {key: numbered.get(key, "") for key in _SECTION_KEYS}


_SECTION_KEYS = ("conditions", "materials", "tolerated", "places", "online", "time", "prohibited", "tips")


@lru_cache(maxsize=2)
def _environment(autoescape: bool) -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("rsguide", "templates"),
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
    )
    env.filters["day"] = _day
    env.filters["md"] = _md
    return env


_TEMPLATES = {"html": "notice.html.j2", "markdown": "notice.md.j2", "plain": "notice.txt.j2"}


def render_notice(notice: Notice, fmt: str = "html") -> str:
    """The notice as an A4 HTML page (``html``), or as ``markdown`` / ``plain`` text for chat and tickets."""
    if fmt not in _TEMPLATES:
        raise UsageError(f"不支持的告知单格式“{fmt}”", hint=f"可用：{'|'.join(NOTICE_FORMATS)}")
    env = _environment(fmt == "html")
    template = env.get_template(_TEMPLATES[fmt])
    text = template.render(n=notice, h=headings(notice))
    if fmt != "html":
        text = _squeeze_blank_lines(text)
    return text


def _squeeze_blank_lines(text: str) -> str:
    lines = text.splitlines()
    out: list[str] = []
    for line in lines:
        line = line.rstrip()
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    return "\n".join(out).strip("\n") + "\n"
