"""The written notice each verdict of ``rsguide check`` calls for.

========== =================================================== ==========================
verdict    paper                                               copies
========== =================================================== ==========================
ok         受理通知书                                            申请人留存、窗口存档
tolerated  容缺受理通知书 + the applicant's 容缺受理承诺书 to sign 申请人留存、窗口存档 each
incomplete 补正材料通知书 (every missing material at once)        申请人留存、窗口存档
prohibited 不予受理通知书 (the 禁办情形 in the list's words)       申请人留存、窗口存档
unconfirmed no paper: the clerk must first confirm the open 禁办情形
========== =================================================== ==========================

These are forms of general practice (see docs of the domain), filled only with facts of the check
and of the knowledge base: the bureau's name, the item, the materials, the dates counted by the
checker. Blanks are left for 申请人、经办人、窗口号、日期 and the seal; no address, phone, seal text or
legal clause is invented.

:func:`document_text` is the one entry point the command layer needs: a verdict in, the paper's
text out (HTML, Markdown or plain text); :class:`DocumentNotIssued` when the verdict calls for none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rsguide.errors import UsageError
from rsguide.output.qr import fit_text, qr_svg

if TYPE_CHECKING:
    from rsguide.check.checker import Decision
    from rsguide.kb.api import ReadAPI
    from rsguide.model import Material

DOCUMENT_FORMATS: tuple[str, ...] = ("html", "markdown", "plain")
TITLES: dict[str, str] = {
    "ok": "受理通知书",
    "tolerated": "容缺受理通知书",
    "incomplete": "补正材料通知书",
    "prohibited": "不予受理通知书",
}
COMMITMENT_TITLE = "容缺受理承诺书"
COPIES: tuple[str, ...] = ("第一联　申请人留存", "第二联　窗口存档")
UNCONFIRMED = "unconfirmed"
"""The verdict 待确认 (a 禁办情形 left open): no paper until the clerk has confirmed it."""
WEEKDAYS = "一二三四五六日"
PAGE_BREAK = "@@PAGE@@"
"""Where the plain text starts a new sheet: a form feed (a printer starts a new page)."""
_EXTENSIONS = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown", ".txt": "plain"}


class DocumentNotIssued(UsageError):
    """The verdict calls for no paper yet (``unconfirmed``): the message says what to confirm."""

    def __init__(self, message: str, *, hint: str | None = None, questions: tuple[str, ...] = ()) -> None:
        super().__init__(message, hint=hint)
        self.questions = questions


@dataclass(frozen=True)
class DocMaterial:
    """A material as the paper lists it."""

    name: str
    detail: str
    """原件/复印件, 份数, 备注 in one phrase (may be empty)."""


@dataclass(frozen=True)
class DocTolerated:
    """A material accepted under 容缺 or 告知承诺, with what must follow."""

    material: str
    """What is missing, in the 容缺清单's words (身份证复印件): the paper names it, never the ID itself."""
    part_of: str | None
    """The guide's material it belongs to (存档人员有效身份证件), where the list says it differently."""
    source: str
    correction: str
    kind: str
    """working_days | on_site_check | commitment | text (as in rules.yaml)."""
    deadline: dt.date | None


@dataclass(frozen=True)
class DocReason:
    """A 禁办情形 that applies, in the list's words."""

    rule: int
    subject: str
    case: str


@dataclass(frozen=True)
class Document:
    """One written notice (and, for 容缺, the commitment to sign), ready to render."""

    verdict: str
    title: str
    bureau: str | None
    subject: str
    item_number: int | None
    date: dt.date
    channel: str | None
    case_name: str | None
    when: tuple[str, ...]
    materials: tuple[DocMaterial, ...]
    """ok: the materials checked at the window; incomplete: the materials to supply."""
    tolerated: tuple[DocTolerated, ...]
    reasons: tuple[DocReason, ...]
    time_limit: str | None
    due_date: dt.date | None
    correction_deadline: dt.date | None
    warnings: tuple[str, ...]
    """Printed (a year whose holidays are not yet published)."""
    clerk_notes: tuple[str, ...]
    """For the clerk only: shown on screen or on stderr, never printed."""
    copies: tuple[str, ...] = COPIES

    @property
    def subject_label(self) -> str:
        """“第14项 流动人员人事档案转入”, or the rule subject's name."""
        return f"第{self.item_number}项 {self.subject}" if self.item_number else self.subject

    @property
    def commitment(self) -> bool:
        """Whether the applicant signs a 容缺受理承诺书 with this notice."""
        return self.verdict == "tolerated"

    @property
    def deadline_terms(self) -> tuple[DocTolerated, ...]:
        """The tolerated materials to be supplied by a date."""
        return tuple(t for t in self.tolerated if t.deadline)

    @property
    def qr_text(self) -> str:
        """What the QR code on the paper carries (the checklist of this decision as text)."""
        return fit_text(document_qr_text(self))

    @property
    def qr_svg(self) -> str:
        """The QR code of :attr:`qr_text` as inline SVG."""
        return qr_svg(self.qr_text, title="扫码保存")


# ── gathering the facts ──


def _detail(m: Material) -> str:
    from rsguide.output.notice import _detail as notice_detail

    return notice_detail(m)


def unconfirmed_questions(v: Decision) -> tuple[str, ...]:
    """The open 禁办情形 of an ``unconfirmed`` decision as the clerk's yes/no questions (禁办3：是否属于…？)."""
    questions = tuple(f"{f.label}：{f.question}" for f in v.questions)
    return questions + tuple(c.text for c in getattr(v, "conditions", ()))


def build_document(kb: ReadAPI, v: Decision) -> Document:
    """The paper the verdict ``v`` calls for; :class:`DocumentNotIssued` for ``unconfirmed``."""
    verdict = str(getattr(v.verdict, "value", v.verdict))
    if verdict == UNCONFIRMED or verdict not in TITLES:
        questions = unconfirmed_questions(v)
        listed = "；".join(questions) or "禁办情形尚未确认"
        raise DocumentNotIssued(
            f"待确认，未生成文书：请先向申请人确认——{listed}",
            hint=(
                "确认后用 --situation 写明（如 --situation 禁办3=否，都不属于时写 --situation 无）再生成文书"
                if v.questions
                else "核对申请条件后，按核实的情况重写 --situation 再生成文书"
            ),
            questions=questions,
        )
    item = v.subject.item
    case_name = None
    if item is not None and v.case:
        c = item.case(v.case)
        case_name = c.name if c else v.case
    if verdict == "ok":
        materials = tuple(DocMaterial(m.name, _detail(m)) for m in v.present)
    elif verdict == "incomplete":
        from rsguide.output.material_text import qualifier  # who issues it: what the applicant must bring

        materials = tuple(DocMaterial(qualifier(x.material) + x.name, _detail(x.material)) for x in v.lacking)
    else:
        materials = ()
    tolerated = tuple(
        DocTolerated(
            material=t.list_material or t.material,
            part_of=t.material if t.list_material not in (None, t.material) else None,
            source=t.source,
            correction=t.correction,
            kind=t.kind,
            deadline=t.deadline,
        )
        for t in v.tolerated
    )
    reasons = tuple(DocReason(p["rule"], p["subject"], p["case"]) for p in v.prohibited)
    printed = tuple(w for w in v.warnings if "节假日" in w)
    clerk = tuple(w for w in v.warnings if w not in printed)
    limit = v.time_limit.summary if v.time_limit else None
    return Document(
        verdict=verdict,
        title=TITLES[verdict],
        bureau=kb.bureau.name if kb.bureau else None,
        subject=v.subject.name,
        item_number=item.number if item is not None else None,
        date=v.date,
        channel=v.channel,
        case_name=case_name,
        when=tuple(v.when),
        materials=materials,
        tolerated=tolerated,
        reasons=reasons,
        time_limit=limit,
        due_date=v.due_date,
        correction_deadline=v.correction_deadline,
        warnings=printed,
        clerk_notes=clerk,
    )


def document_qr_text(d: Document) -> str:
    """The decision as plain text for the QR code: bureau, paper, item, date, materials, deadlines."""
    lines = [x for x in (d.bureau, f"{d.title}：{d.subject_label}") if x]
    lines.append(
        f"受理日期：{d.date.isoformat()}" if d.verdict in ("ok", "tolerated") else f"日期：{d.date.isoformat()}"
    )
    if d.verdict == "ok":
        lines.append("已核对材料：" + ("、".join(m.name for m in d.materials) or "无需提交材料"))
    if d.verdict == "incomplete":
        lines.append("需补正的材料：")
        lines.extend(f"{i}. {m.name}" + (f"（{m.detail}）" if m.detail else "") for i, m in enumerate(d.materials, 1))
    for t in d.tolerated:
        by = f"{t.deadline.isoformat()}前补交" if t.deadline else t.correction
        lines.append(f"容缺材料：{t.material}，{by}")
    for r in d.reasons:
        lines.append(f"不予受理：禁办第{r.rule}条 {r.subject}：{r.case}")
    if d.verdict in ("ok", "tolerated") and d.time_limit:
        lines.append(f"办理时限：{d.time_limit}" + (f"，预计{d.due_date.isoformat()}前办结" if d.due_date else ""))
    return "\n".join(lines)


# ── rendering ──


def cn_day(d: dt.date | None) -> str:
    """``2026年12月1日（星期二）``."""
    if d is None:
        return ""
    return f"{d.year}年{d.month}月{d.day}日（星期{WEEKDAYS[d.weekday()]}）"


def _environment(autoescape: bool) -> Any:
    from rsguide.output.templating import environment

    return environment(autoescape)


_TEMPLATES = {"html": "document.html.j2", "markdown": "document.md.j2", "plain": "document.txt.j2"}


def render_document(doc: Document, fmt: str = "html") -> str:
    """The paper as an A4 HTML print job (every copy on its own page), or as Markdown / plain text."""
    if fmt not in _TEMPLATES:
        raise UsageError(f"不支持的文书格式“{fmt}”", hint=f"可用：{'|'.join(DOCUMENT_FORMATS)}")
    text: str = _environment(fmt == "html").get_template(_TEMPLATES[fmt]).render(d=doc)
    if fmt != "html":
        from rsguide.output.notice import _squeeze_blank_lines

        text = _squeeze_blank_lines(text).replace(PAGE_BREAK + "\n", "\f\n")
    return text


def document_text(kb: ReadAPI, v: Decision, fmt: str = "html") -> str:
    """The text of the paper ``v`` calls for (the command layer's one call)."""
    return render_document(build_document(kb, v), fmt)


def document_format(path: str | Path, fmt: str | None = None) -> str:
    """The format of a document file: by its extension (.html/.htm, .md/.markdown, .txt); for any
    other name ``fmt`` when it is html/markdown/plain (``check --format``), else HTML."""
    by_name = _EXTENSIONS.get(Path(path).suffix.lower())
    if by_name:
        return by_name
    if fmt:
        f = {"md": "markdown", "txt": "plain", "text": "plain", "htm": "html"}.get(fmt.lower(), fmt.lower())
        if f in DOCUMENT_FORMATS:
            return f
    return "html"


def write_document(
    kb: ReadAPI, v: Decision, path: str | Path, *, fmt: str | None = None, force: bool = False
) -> tuple[Path, Document]:
    """Write the paper of ``v`` to ``path`` (atomically, never over a file without ``force``)."""
    from rsguide.output.files import write_atomic

    doc = build_document(kb, v)
    return write_atomic(path, render_document(doc, document_format(path, fmt)), force=force), doc


@dataclass(frozen=True)
class Issued:
    """What :func:`issue_document` did: the file written (``None`` when no paper was due) and the
    lines to tell the clerk (on stderr in the CLI, on screen in the repl)."""

    path: Path | None
    document: Document | None
    messages: tuple[str, ...]


def issue_document(
    kb: ReadAPI, v: Decision, path: str | Path, *, fmt: str | None = None, force: bool = False
) -> Issued:
    """Write the paper of ``v`` to ``path`` for ``check --document`` / the repl's ``c … /doc``.

    An ``unconfirmed`` verdict writes nothing and says what to confirm first; the verdict's own
    exit code stays the command's. Output errors (existing file without ``force``) are raised.
    """
    try:
        written, doc = write_document(kb, v, path, fmt=fmt, force=force)
    except DocumentNotIssued as exc:
        return Issued(None, None, (str(exc),))
    sheets = len(doc.copies) * (2 if doc.commitment else 1)
    what = doc.title + ("及容缺受理承诺书" if doc.commitment else "")
    lines = [f"已写入 {written}（{what}，{'、'.join(c.split()[-1] for c in doc.copies)}各一联，共{sheets}页）"]
    lines.extend(f"经办人注意：{note}" for note in doc.clerk_notes)
    return Issued(written, doc, tuple(lines))
