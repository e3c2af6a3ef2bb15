"""The one-time notice (一次性告知单): everything an applicant must know about their case on one
printable page — the materials as a checklist, where to go, the online alternatives, the time
limit and its due date, 容缺 terms, 禁办 warnings, and blanks for the clerk.

:func:`build_notice` gathers the facts (reusing the checklist, the offices and the checker);
:func:`render_notice` fills one of the Jinja2 templates in ``rsguide/templates``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rsguide.kb.api import ReadAPI

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rsguide.check.checklist import (
    build_checklist,
    cases_matter,
    choose_channel,
    copy_tolerance,
    resolve_case,
    resolve_tags,
)
from rsguide.check.workdays import add_working_days
from rsguide.errors import UsageError
from rsguide.model import (
    REFERENCE_LABEL,
    Item,
    Material,
    MaterialGroup,
    Office,
)
from rsguide.numerals import to_chinese
from rsguide.output.qr import fit_text, qr_svg
from rsguide.output.views import tolerated_detail
from rsguide.search.engine import SearchIndex
from rsguide.search.lookup import resolve

NOTICE_FORMATS: tuple[str, ...] = ("html", "markdown", "plain")
ONLINE_CHANNELS: tuple[str, ...] = ("网上办", "掌上办", "自助办")
BLANKS: tuple[str, ...] = ("经办人", "窗口号", "申请人签收")
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

    @property
    def listed(self) -> bool:
        """Whether the source lists this section's materials (so that nothing else is required)."""
        return self.none_required is None and bool(self.required or self.conditional)


@dataclass(frozen=True)
class NoticePlace:
    """Where to go on the chosen channel: one path of the source with its offices resolved."""

    channel: str
    case: str | None
    label: str | None
    text: str
    offices: tuple[Office, ...]
    """The named offices of the path (never the reference list)."""
    district_windows: tuple[Office, ...] = ()
    """The district windows, only as a labelled reference where the source's generic wording
    refers to district level (never as *the* place)."""
    generic: tuple[str, ...] = ()
    """The source's generic wording of the place (辽宁省内任一失业保险业务经办窗口): the place itself."""
    reference_label: str = f"{REFERENCE_LABEL}（办事指南未指明具体窗口）"  # no staff wording (源文件) on paper


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
    """For the clerk only: shown on screen, never printed (the item's 资料说明 among them)."""
    blanks: tuple[str, ...] = BLANKS
    bureau: str | None = None
    """The issuing bureau's name as the knowledge base gives it."""

    @property
    def title(self) -> str:
        """The page title: “一次性告知单 · 第4项 失业保险金申领”."""
        return f"一次性告知单 · 第{self.item.number}项 {self.item.name}"

    @property
    def qr_text(self) -> str:
        """The checklist as text, as the QR code on the page carries it."""
        return fit_text(notice_qr_text(self))

    @property
    def qr_svg(self) -> str:
        """The QR code of :attr:`qr_text` as inline SVG."""
        return qr_svg(self.qr_text, title="扫码保存材料清单")

    @property
    def case_name(self) -> str | None:
        """The chosen case as the source names it."""
        if self.case is None:
            return None
        c = self.item.case(self.case)
        return c.name if c else self.case


# ── gathering the facts ──


def _detail(m: Material, copy_note: str | None = None) -> str:
    parts: list[str] = []
    if m.form:
        parts.append(m.form)
    if m.copies and not (m.remark and "份" in m.remark):
        parts.append(m.copies_text)
    if m.remark:
        parts.append(m.remark)
    if m.tolerance == "告知承诺":
        parts.append("可告知承诺")
    if copy_note:
        parts.append(copy_note)
    return "；".join(parts)


def _tolerated_note(t: ToleratedTerm) -> str:
    if t.deadline:
        return f"本次缺少，已容缺受理：请于 {_day(t.deadline)}前补交"
    return f"本次缺少，已容缺受理（{t.correction}）"


def _tag_text(kb: ReadAPI, tag: str) -> str:
    return f"{tag}：{kb.conditions[tag]}" if kb.conditions.get(tag) else tag


def _condition_text(kb: ReadAPI, m: Material) -> str:
    return "；".join(_tag_text(kb, t) for t in m.when)


def _material(
    kb: ReadAPI,
    item: Item,
    m: Material,
    *,
    conditional: bool,
    tolerated: dict[str, str],
    missing: set[str],
) -> NoticeMaterial:
    row = copy_tolerance(kb, item, m)
    copy_note = f"证件本身须出示；如缺{row.material}可容缺受理，补正时间{row.correction_text}" if row else None
    from rsguide.output.material_text import full_name

    return NoticeMaterial(
        name=full_name(m),  # who issues it (转入地…出具的), as the source says; matching keeps m.name
        text=m.text,
        detail=_detail(m, copy_note),
        condition=_condition_text(kb, m) if conditional else None,
        tolerated=tolerated.get(m.name),
        still_missing=m.name in missing,
    )


def _section(
    kb: ReadAPI,
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
        from rsguide.output.material_text import none_required_text

        none = "；".join(dict.fromkeys(none_required_text(g, "办事指南原文") for g in cl.groups))
    elif not cl.groups:
        none = "办事指南未列出该渠道的材料，请向窗口咨询"
    notes = tuple(dict.fromkeys(x for g in cl.groups for x in _group_notes(g)))
    return MaterialSection(
        title=title,
        required=tuple(
            _material(kb, item, m, conditional=False, tolerated=tolerated, missing=missing) for _g, m in cl.required
        ),
        conditional=tuple(
            _material(kb, item, m, conditional=True, tolerated=tolerated, missing=missing) for _g, m in cl.conditional
        ),
        none_required=none,
        notes=notes,
    )


def _internal_remark(g: MaterialGroup) -> bool:
    """A group remark meant for the clerk, not the applicant (指南注明：可容缺受理)."""
    return bool(g.remark and "容缺" in g.remark)


def _group_notes(g: MaterialGroup) -> tuple[str, ...]:
    if g.none_required:
        return ()
    notes = [f"指南注明：{g.remark}"] if g.remark and not _internal_remark(g) else []
    if g.note:
        notes.append("注：" + re.sub(r"^注\s*[:：]\s*", "", g.note))
    return tuple(notes)


def _case_applies(path_case: str | None, case: str | None) -> bool:
    return case is None or path_case is None or path_case == case


def _places(kb: ReadAPI, item: Item, channel: str | None, case: str | None) -> tuple[NoticePlace, ...]:
    out: list[NoticePlace] = []
    for p in item.paths:
        if p.channel != channel or not _case_applies(p.case, case):
            continue
        refs = kb.path_places(p)
        offices = tuple(o for r in refs if r.kind == "named" for o in r.offices)
        generic = tuple(r.text for r in refs if r.kind == "generic")
        reference = tuple(o for r in refs if r.kind == "reference" for o in r.offices)
        out.append(NoticePlace(p.channel, p.case, p.label, _one_line(p.text), offices, reference, generic))
    return tuple(out)


def _alternatives(kb: ReadAPI, item: Item, channel: str | None, case: str | None) -> tuple[Alternative, ...]:
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
    kb: ReadAPI,
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
    from rsguide.check.checker import check
    from rsguide.output.views import category_label

    item = resolve(kb, index, query).item
    day = date or dt.date.today()
    ch = choose_channel(item, channel)
    case_id = resolve_case(item, case)
    tags = resolve_tags(item, list(when), kb.conditions) if when else ()
    warnings: list[str] = []
    clerk_notes: list[str] = []

    tolerated: list[ToleratedTerm] = []
    until: dict[str, str] = {}  # the guide's material → what the notice says about it
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
            listed = t.list_material or t.material  # the 容缺 list's words (身份证复印件)
            term = ToleratedTerm(listed, t.source, t.correction, t.kind, t.deadline)
            tolerated.append(term)
            note = _tolerated_note(term)
            if any(m.name == t.material and m.tolerated_copy == listed for g in item.materials for m in g.items):
                note = f"{listed}{note}；{t.material}本身须出示"
            until[t.material] = note
        still_missing = [m.name for m in v.missing]
        correction_deadline = v.correction_deadline
        for w in v.warnings:
            if "节假日" in w:
                warnings.append(w)
            elif not w.startswith("请核对是否属于禁办情形"):
                clerk_notes.append(w)
    lacking = set(still_missing)

    remarks = [g for g in item.materials if g.channel == ch and _case_applies(g.case, case_id) and _internal_remark(g)]
    for g in remarks:
        on_list = bool(kb.tolerated_for(item=item.number))
        clerk_notes.append(
            f"指南注明：{g.remark}"
            + ("" if on_list else "（本事项不在《容缺办理事项清单》上，源文件没有可容缺的材料和补正时间，告知单不印此句）")
        )
    clerk_notes.extend(f"资料说明：{note}" for note in item.notes)
    if case_id is None and cases_matter(item):
        sections = tuple(
            _section(kb, item, c.name, channel=ch, case=c.id, when=tags, tolerated=until, missing=lacking)
            for c in item.cases
        )
        clerk_notes.append("本事项的材料因办理情形而不同，告知单列出了所有情形；指定情形请加 --case")
    else:
        sections = (_section(kb, item, None, channel=ch, case=case_id, when=tags, tolerated=until, missing=lacking),)

    limits = _time_limits(item, ch, case_id, day, warnings)
    tolerable = tuple(tolerated_detail(item, r) for r in kb.tolerated_for(item=item.number))
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
        clerk_notes=tuple(dict.fromkeys(clerk_notes)),
        bureau=kb.bureau.name if kb.bureau else None,
    )


def notice_qr_text(n: Notice) -> str:
    """The checklist of the notice as plain text: bureau, item, channel, materials, time limit, date."""
    lines = [x for x in (n.bureau, f"一次性告知单：第{n.item.number}项 {n.item.name}") if x]
    facts = [f"办理渠道：{n.channel or '全部渠道'}"]
    if n.case_name:
        facts.append(f"办理情形：{n.case_name}")
    if n.when:
        facts.append(f"适用条件：{'、'.join(n.when)}")
    lines.append("；".join(facts))
    lines.append("需提交的材料：")
    for s in n.sections:
        if s.title:
            lines.append(f"【{s.title}】")
        if s.none_required:
            lines.append(s.none_required)
            continue
        if not s.required and s.conditional:
            lines.append("一般情况下无需提交材料。")
        for i, m in enumerate(s.required, 1):
            lines.append(f"{i}. {m.name}" + (f"（{m.detail}）" if m.detail else ""))
        if s.conditional:
            lines.append("如属以下情形，还需提交：")
        for i, m in enumerate(s.conditional, len(s.required) + 1):
            lines.append(f"{i}. {m.name}" + (f"（{m.detail}）" if m.detail else "") + f"（仅当{'、'.join(_condition_names(m))}）")
        if s.listed:
            lines.append(NOTHING_ELSE)
    if n.still_missing:
        lines.append("本次缺少、须补齐：" + "、".join(n.still_missing))
    for t in n.tolerated:
        lines.append(f"容缺：{t.material}，" + (f"请于{t.deadline.isoformat()}前补交" if t.deadline else t.correction))
    limits = "；".join(f"{x.label}：{x.text}" + (f"，预计{x.due.isoformat()}前办结" if x.due else "") for x in n.time_limits)
    lines.append(f"办理时限：{limits or n.time_limit_text or '请向窗口咨询'}")
    lines.append(f"告知日期：{n.date.isoformat()}")
    return "\n".join(lines)


NOTHING_ELSE = "除上述材料外，无需提供其他材料。"


def _condition_names(m: NoticeMaterial) -> tuple[str, ...]:
    """The condition names of a conditional material (代办, 劳动争议 …), without their explanations."""
    if not m.condition:
        return ()
    return tuple(part.split("：", 1)[0] for part in m.condition.split("；"))


def default_notice_path(n: Notice, folder: Path | None = None) -> Path:
    """``告知单-第4项-2026-12-01.html`` in ``folder`` (default: the current folder); never an existing file:
    ``…-2.html``, ``…-3.html`` … when the name is taken."""
    base = Path(folder or ".")
    stem = f"告知单-第{n.item.number}项-{n.date.isoformat()}"
    path = base / f"{stem}.html"
    k = 2
    while path.exists():
        path = base / f"{stem}-{k}.html"
        k += 1
    return path


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


def _md_url(text: Any) -> str:
    """A web address in Markdown: characters that could open HTML or end the link percent-encoded."""
    from urllib.parse import quote

    return quote(str(text), safe=":/?#@!$&'()*+,;=%~-._")


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
    numbered = {key: f"{to_chinese(i + 1)}、{title}" for i, (key, title) in enumerate(keys)}
    return {key: numbered.get(key, "") for key in _SECTION_KEYS}


_SECTION_KEYS = ("conditions", "materials", "tolerated", "places", "online", "time", "prohibited", "tips")


def _environment(autoescape: bool) -> Any:
    from rsguide.output.templating import environment

    return environment(autoescape)


_TEMPLATES = {"html": "notice.html.j2", "markdown": "notice.md.j2", "plain": "notice.txt.j2"}


def render_notice(notice: Notice, fmt: str = "html") -> str:
    """The notice as an A4 HTML page (``html``), or as ``markdown`` / ``plain`` text for chat and tickets."""
    if fmt not in _TEMPLATES:
        raise UsageError(f"不支持的告知单格式“{fmt}”", hint=f"可用：{'|'.join(NOTICE_FORMATS)}")
    env = _environment(fmt == "html")
    template = env.get_template(_TEMPLATES[fmt])
    text: str = template.render(n=notice, h=headings(notice))
    if fmt != "html":
        text = _squeeze_blank_lines(text)
    from rsguide.sanitize import clean

    return clean(text)


def _squeeze_blank_lines(text: str) -> str:
    lines = text.splitlines()
    out: list[str] = []
    for line in lines:
        line = line.rstrip()
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    return "\n".join(out).strip("\n") + "\n"
