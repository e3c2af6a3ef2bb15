"""check quality on the blind sets (written by someone who had not seen the matcher).

    python bench/check_quality.py [--show-misses]

Situations (tests/data/check_situations_blind.tsv): per 禁办情形, how many phrasings were judged
established / ruled out / open against what the set expects; the safety figures are prohibited
phrasings answered ok (expected establish, judged ruled out) and near misses answered prohibited
(expected rule_out or open, judged established).
Scenarios (tests/data/check_scenarios_blind.tsv): verdict and deadline accuracy of ``check``.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from rsguide.check.checker import Decision, check, resolve_subject
from rsguide.check.situations import Judgement, assess, case_label
from rsguide.errors import RsguideError
from rsguide.kb.loader import load
from rsguide.model import KnowledgeBase
from rsguide.search.engine import SearchIndex, build_index

ROOT = Path(__file__).resolve().parent.parent
SETS = {
    "blind": (ROOT / "tests/data/check_situations_blind.tsv", ROOT / "tests/data/check_scenarios_blind.tsv"),
    # written later by a second writer who had seen neither the matcher nor the first set; never tuned on
    "holdout": (ROOT / "tests/data/check_situations_holdout.tsv", ROOT / "tests/data/check_scenarios_holdout.tsv"),
}
SITUATIONS, SCENARIOS = SETS["blind"]
EXPECTED = {"establish": Judgement.ESTABLISHED, "rule_out": Judgement.RULED_OUT, "open": Judgement.OPEN}


def rows(path: Path) -> list[list[str]]:
    """The data lines of a TSV set (comments and the header skipped)."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            out.append(line.split("\t"))
    return out


@dataclass
class SituationResult:
    subject: str
    text: str
    label: str
    expected: Judgement
    got: Judgement


def judge_situations(kb: KnowledgeBase, index: SearchIndex) -> list[SituationResult]:
    """Judge each line's text against the one 情形 the line names."""
    out = []
    for subject_text, text, label, expected in rows(SITUATIONS):
        subject = resolve_subject(kb, lambda: index, subject_text)
        rules = (
            kb.prohibited_for(item=subject.item.number)
            if subject.item
            else kb.prohibited_for(subject=subject.rule_subject.id)  # type: ignore[union-attr]
        )
        findings, _silent = assess(rules, [text], subject_names=subject.names, named=subject.query_matches_rule)
        by_label = {f.label: f for f in findings}
        got = by_label[label].judgement if label in by_label else Judgement.OPEN
        out.append(SituationResult(subject_text, text, label, EXPECTED[expected], got))
    return out


@dataclass
class ScenarioResult:
    row: list[str]
    verdict: str
    deadline: str
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.verdict == self.row[4] and self.deadline == self.row[5]


def run_scenarios(kb: KnowledgeBase, index: SearchIndex) -> list[ScenarioResult]:
    """Run ``check`` on each scenario: materials not brought, situation, date."""
    out = []
    for row in rows(SCENARIOS):
        item, missing, situation, date = row[:4]
        try:
            v: Decision = check(
                kb,
                lambda: index,
                item,
                missing=[m.strip() for m in missing.split(";") if m.strip()],
                situations=[situation] if situation.strip() else [],
                date=dt.date.fromisoformat(date) if date else dt.date(2026, 6, 1),
            )
            deadline = v.correction_deadline.isoformat() if v.correction_deadline else ""
            out.append(ScenarioResult(row, v.verdict.value, deadline))
        except RsguideError as exc:
            out.append(ScenarioResult(row, f"error({exc.exit_code})", "", str(exc)))
    return out


def report(show_misses: bool = False) -> dict[str, int]:
    """Print both tables; return the headline figures."""
    kb = load()
    index = build_index(kb)
    results = judge_situations(kb, index)
    table: dict[str, Counter[tuple[Judgement, Judgement]]] = defaultdict(Counter)
    for r in results:
        table[r.label][(r.expected, r.got)] += 1
    labels = [case_label(rule, i) for rule in kb.prohibited for i in range(len(rule.cases))]
    print("情形      期望→   确定 排除 待确认 | 正确/总数")
    totals: Counter[str] = Counter()
    for label in labels:
        c = table[label]
        for exp in Judgement:
            cells = [c[(exp, got)] for got in Judgement]
            n = sum(cells)
            if not n:
                continue
            right = c[(exp, exp)]
            totals["right"] += right
            totals["all"] += n
            print(f"{label:8} {exp.value:11} {cells[0]:4} {cells[1]:4} {cells[2]:6} | {right}/{n}")
    unsafe_ok = sum(1 for r in results if r.expected is Judgement.ESTABLISHED and r.got is Judgement.RULED_OUT)
    unsafe_refusal = sum(1 for r in results if r.expected is not Judgement.ESTABLISHED and r.got is Judgement.ESTABLISHED)
    print(f"judged as expected: {totals['right']}/{totals['all']}")
    print(f"prohibited phrasings answered ok (establish → ruled out): {unsafe_ok}")
    print(f"near misses answered prohibited (rule_out/open → established): {unsafe_refusal}")
    if show_misses:
        for r in results:
            if r.expected is not r.got:
                print(f"  MISS {r.label} {r.subject} | {r.text} | expected {r.expected.value}, got {r.got.value}")

    scenarios = run_scenarios(kb, index)
    by_verdict: dict[str, Counter[str]] = defaultdict(Counter)
    for s in scenarios:
        by_verdict[s.row[4]]["all"] += 1
        by_verdict[s.row[4]]["verdict"] += s.verdict == s.row[4]
        by_verdict[s.row[4]]["both"] += s.ok
    print("\nscenarios: expected verdict   n  verdict right  verdict+deadline right")
    for verdict, c in sorted(by_verdict.items()):
        print(f"  {verdict:12} {c['all']:4} {c['verdict']:6} {c['both']:6}")
    right = sum(s.ok for s in scenarios)
    print(f"  all          {len(scenarios):4} {sum(s.verdict == s.row[4] for s in scenarios):6} {right:6}")
    wrong_ok = sum(1 for s in scenarios if s.verdict in ("ok", "tolerated") and s.row[4] not in ("ok", "tolerated"))
    print(f"  accepted (ok/tolerated) where the set expects refusal, incomplete or unconfirmed: {wrong_ok}")
    if show_misses:
        for s in scenarios:
            if not s.ok:
                print(f"  MISS {' | '.join(s.row[:6])} → {s.verdict} {s.deadline} {s.error or ''}")
    return {
        "situations_right": totals["right"],
        "situations_all": totals["all"],
        "unsafe_ok": unsafe_ok,
        "unsafe_refusal": unsafe_refusal,
        "scenarios_right": right,
        "scenarios_all": len(scenarios),
        "scenarios_wrong_ok": wrong_ok,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--set", choices=sorted(SETS), default="blind")
    arguments = parser.parse_args()
    SITUATIONS, SCENARIOS = SETS[arguments.set]
    report(arguments.show_misses)
