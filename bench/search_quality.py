"""Search quality and speed.

    python bench/search_quality.py [--synthetic N] [--set NAME ...] [--misses] [--holdout]

Quality, for every set: top-1 and top-3 per query kind, and the out-of-scope rejection rate (a
query labelled ``-`` — none of the 36 items — is answered correctly, in top-1 and top-3 alike, when
no hit is returned). For a query with item numbers, top-1 needs the first hit to be one of them,
top-3 one of the first three. ON-LIST and OFF-LIST sum up the two halves of a set. ``sure+wrong`` counts the worst answers: a wrong
first hit (or an answer to a question not on the list) with confidence ``high`` or ``medium``.

Sets (tests/data/): ``public`` (queries_public.tsv, the shared evaluation sample of names, pinyin,
typos …), ``situations`` (situations_public.tsv, the shared sample of situations, Northeast speech
and questions not on the list), ``dev`` (queries_dev.tsv, written independently of the search code),
``blind``, ``dev2``, ``dev3``, ``dev5`` and ``dev8`` (queries_dev*_blind.tsv:
each written blind by someone who saw neither the code nor the data), and ``holdout`` / ``holdout2`` /
``holdout3`` … ``holdout19`` (queries_holdout*.tsv, with ``--holdout`` or ``--set holdout19``
only: run once, never tune on them).

Speed: median and p95 per query, in-process, over the 36 items and over a synthetic knowledge base
of N items (default 10,000), with the index built beforehand.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from rsguide.kb.loader import load
from rsguide.search.engine import build_index, search

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests/data"
SETS = {
    "public": DATA / "queries_public.tsv",
    "situations": DATA / "situations_public.tsv",
    "dev": DATA / "queries_dev.tsv",
    "blind": DATA / "queries_dev_blind.tsv",
    "dev2": DATA / "queries_dev2_blind.tsv",
    "dev3": DATA / "queries_dev3_blind.tsv",
    "dev5": DATA / "queries_dev5_blind.tsv",
    "dev8": DATA / "queries_dev8_blind.tsv",
}
HOLDOUTS = {
    "holdout": DATA / "queries_holdout.tsv",
    "holdout2": DATA / "queries_holdout2.tsv",
    "holdout3": DATA / "queries_holdout3.tsv",
    "holdout4": DATA / "queries_holdout4.tsv",
    "holdout5": DATA / "queries_holdout5.tsv",
    "holdout6": DATA / "queries_holdout6.tsv",
    "holdout7": DATA / "queries_holdout7.tsv",
    "holdout8": DATA / "queries_holdout8.tsv",
    "holdout9": DATA / "queries_holdout9.tsv",
    "holdout10": DATA / "queries_holdout10.tsv",
    "holdout11": DATA / "queries_holdout11.tsv",
    "holdout12": DATA / "queries_holdout12.tsv",
    "holdout13": DATA / "queries_holdout13.tsv",
    "holdout14": DATA / "queries_holdout14.tsv",
    "holdout15": DATA / "queries_holdout15.tsv",
    "holdout16": DATA / "queries_holdout16.tsv",
    "holdout17": DATA / "queries_holdout17.tsv",
    "holdout18": DATA / "queries_holdout18.tsv",
    "holdout19": DATA / "queries_holdout19.tsv",
}


def read(path: Path) -> list[tuple[str, set[int], str]]:
    """Rows of a set: (query, acceptable item numbers — empty for "not on the list", kind)."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not (line.startswith("#") and "\t" not in line):  # `#31<TAB>31` is a query
            q, nums, kind = line.split("\t")[:3]
            accepted = set() if nums.strip() == "-" else {int(n) for n in nums.split(",")}
            rows.append((q, accepted, kind.strip()))
    return rows


def measure(index: Any, rows: list[tuple[str, set[int], str]]) -> tuple[dict[str, list[int]], list[str]]:
    """Per kind: [n, top-1, top-3, out-of-scope n, rejected, sure and wrong]; and the misses, for reading."""
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    misses = []
    for q, accepted, kind in rows:
        hits = search(index, q, limit=3)
        numbers = [h.number for h in hits]
        # The worst defect: a wrong first hit that says it is sure (confidence high or medium).
        sure_wrong = bool(hits) and hits[0].number not in accepted and hits[0].confidence in ("high", "medium")
        for key in (kind, "ALL", "ON-LIST" if accepted else "OFF-LIST"):
            row = per[key]
            row[0] += 1
            row[5] += sure_wrong
            if accepted:
                row[1] += bool(numbers) and numbers[0] in accepted
                row[2] += bool(accepted & set(numbers))
            else:
                row[3] += 1
                row[4] += not numbers
                row[1] += not numbers
                row[2] += not numbers
        ok = (not accepted and not numbers) or (accepted and numbers and numbers[0] in accepted)
        if not ok:
            sure = "SURE " if sure_wrong else "     "
            misses.append(f"    {kind:3} want {','.join(map(str, sorted(accepted))) or '-':6} {sure}got {numbers}  {q}")
    return per, misses


def report(per: dict[str, list[int]]) -> None:
    for kind in sorted(per, key=lambda k: (k in ("ALL", "ON-LIST", "OFF-LIST"), k == "ALL", k)):
        n, t1, t3, n_out, rejected, sure_wrong = per[kind]
        line = (
            f"  {kind:8} n={n:3}  top-1 {100 * t1 / n:5.1f} %  top-3 {100 * t3 / n:5.1f} %  sure+wrong {sure_wrong:2}"
        )
        if n_out:
            line += f"  not on the list: {rejected}/{n_out} rejected ({100 * rejected / n_out:.1f} %)"
        print(line)


def timing(index: Any, queries: list[str], repeat: int = 3, clock: Any = time.perf_counter) -> tuple[float, float]:
    """Median and p95 per query in ms; ``clock=time.thread_time`` counts CPU time only (fairer on a
    loaded machine, where wall time also measures the other processes)."""
    times = []
    for _ in range(repeat):
        for q in queries:
            t = clock()
            search(index, q)
            times.append((clock() - t) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--synthetic", type=int, default=10_000, help="items of the synthetic base (0: skip)")
    parser.add_argument("--set", action="append", choices=[*SETS, *HOLDOUTS], help="only these sets")
    parser.add_argument("--misses", action="store_true", help="list the queries answered wrongly")
    parser.add_argument("--holdout", action="store_true", help="also the held-out sets (once, at the end)")
    args = parser.parse_args()
    index = build_index(load())
    chosen = {k: v for k, v in SETS.items() if not args.set or k in args.set}
    for name, path in HOLDOUTS.items():
        if args.holdout or (args.set and name in args.set):
            chosen[name] = path
    for name, path in chosen.items():
        if not path.is_file():
            print(f"{name} set ({path.name}): missing")
            continue
        print(f"{name} set ({path.name}):")
        per, misses = measure(index, read(path))
        report(per)
        if args.misses and misses:
            print("\n".join(misses))
    queries = [q for path in chosen.values() if path.is_file() for q, _, _ in read(path)]
    med, p95 = timing(index, queries)
    cmed, cp95 = timing(index, queries, clock=time.thread_time)
    print(
        f"speed, 36 items: median {med:.2f} ms, p95 {p95:.2f} ms per query (wall); "
        f"CPU median {cmed:.2f} ms, p95 {cp95:.2f} ms ({len(queries)} queries × 3)"
    )
    if args.synthetic:
        import sys

        sys.path.insert(0, str(ROOT / "bench"))
        from synth_kb import synth

        with tempfile.TemporaryDirectory() as tmp:
            synth(args.synthetic, Path(tmp))
            t = time.perf_counter()
            big = build_index(load(tmp))
            built = time.perf_counter() - t
            med, p95 = timing(big, queries, repeat=1)
            cmed, cp95 = timing(big, queries, repeat=1, clock=time.thread_time)
            print(
                f"speed, {args.synthetic:,} items: median {med:.2f} ms, p95 {p95:.2f} ms per query (wall); "
                f"CPU median {cmed:.2f} ms, p95 {cp95:.2f} ms (load + index build {built:.1f} s)"
            )


if __name__ == "__main__":
    main()
