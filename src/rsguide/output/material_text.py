"""How a material is named where a citizen learns what to bring (the card, the checklist, the
one-time notice): the source's own words before the name that say who issues the paper or which
one is meant (转入地失业保险经办机构出具的《失业保险关系接收证明》), which the short ``name`` leaves out.

Nothing here is new fact: the qualifier is a verbatim part of the material's ``text`` (the source
sentence), taken from the clause that names the material, after the verb of providing.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rsguide.model import Material, MaterialGroup

_CLAUSE_END = re.compile(r"[，,；;。、：:（(）)\s]")
"""Where the clause that names the material starts (the last of these before the name)."""
_PROVIDING = re.compile(r"(?:另需|还需|需要|需)?(?:提供|携带|上传|填报|出示|办理)|并")
"""The verb of providing (提供、上传…): the qualifier is what follows it. A verb followed by 的
(由参保单位提供的) belongs to the qualifier itself."""
_NONE_REQUIRED = "不需要提供要件"


def qualifier(m: Material) -> str:
    """The source's words before the material's name in its clause that qualify it (“转入地失业保险
    经办机构出具的”, “具有人事档案管理权限的部门开具的”, “由机构编制部门开具的”), or ``""``.

    Only an attributive phrase (ending in 的) counts; a condition (代办人员另需提供…), a verb or a
    phrase the remark already says (职工本人签字) is not repeated."""
    at = m.text.find(m.name)
    if at <= 0:
        return ""
    before = m.text[:at]
    ends = [x.end() for x in _CLAUSE_END.finditer(before)]
    clause = before[ends[-1] :] if ends else before
    verbs = [x.end() for x in _PROVIDING.finditer(clause) if not clause.startswith("的", x.end())]
    phrase = clause[verbs[-1] :] if verbs else clause
    if len(phrase) < 2 or not phrase.endswith("的"):
        return ""
    said = [m.remark or "", *m.when]
    if any(phrase.removesuffix("的") in x for x in said if x):
        return ""
    return phrase


def full_name(m: Material) -> str:
    """The name with the source's qualifier before it (“转入地失业保险经办机构出具的《失业保险关系接收证明》”)."""
    return qualifier(m) + m.name


def none_required_text(g: MaterialGroup, cite: str = "源文件原文") -> str:
    """A channel that needs no material, said as a statement (“掌上办不需要提供要件”), not as a
    numbered material; the source's words are added where they say something else (“无”), labelled
    ``cite`` (a paper for the applicant says 办事指南原文)."""
    channel = g.channel or ""
    text = (g.text or "").strip()
    bare = re.sub(r"[“”\"'①-⑳：:；;。，,\s]", "", text)
    for c in re.findall(r"“([^”]*)”", text):
        bare = bare.replace(c, "")
    if not text or bare == _NONE_REQUIRED:
        return f"{channel}{_NONE_REQUIRED}"
    return f"{channel}{_NONE_REQUIRED}（{cite}：{text.rstrip('；;。')}）"
