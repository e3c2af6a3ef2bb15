"""Search quality and speed.

    python bench/search_quality.py [--synthetic N]

Quality: top-1 and top-3 per query kind on the public set (tests/data/queries_public.tsv, a copy
of the shared evaluation sample) and the dev set (tests/data/queries_dev.tsv, written independently
of the search code). Speed: median and p95 per query, in-process, over the 36 items and over a
synthetic knowledge base of N items (default 10,000), with the index built beforehand.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from rsguide.kb import load
from rsguide.search import build_index, search

ROOT = Path(__file__).resolve().parent.parent
SETS = {"public": ROOT / "tests/data/queries_public.tsv", "dev": ROOT / "tests/data/queries_dev.tsv"}


def read(path: Path) -> list[tuple[str, set[int], str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            q, nums, kind = line.split("\t")
            rows.append((q, {int(n) for n in nums.split(",")}, kind))
    return rows


def quality(index, rows) -> None:
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for q, accepted, kind in rows:
        numbers = [h.number for h in search(index, q, limit=3)]
        for key in (kind, "ALL"):
            per[key][0] += 1
            per[key][1] += bool(numbers) and numbers[0] in accepted
            per[key][2] += bool(accepted & set(numbers))
    for kind in sorted(per, key=lambda k: (k == "ALL", k)):
        n, t1, t3 = per[kind]
        print(f"  {kind:4} n={n:3}  top-1 {100 * t1 / n:5.1f} %  top-3 {100 * t3 / n:5.1f} %")


def timing(index, queries: list[str], repeat: int = 3) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        for q in queries:
            t = time.perf_counter()
            search(index, q)
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--synthetic", type=int, default=10_000)
    args = parser.parse_args()
    index = build_index(load())
    for name, path in SETS.items():
        print(f"{name} set ({path.name}):")
        quality(index, read(path))
    queries = [q for path in SETS.values() for q, _, _ in read(path)]
    med, p95 = timing(index, queries)
    print(f"speed, 36 items: median {med:.2f} ms, p95 {p95:.2f} ms per query ({len(queries)} queries × 3)")
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
            print(
                f"speed, {args.synthetic:,} items: median {med:.2f} ms, p95 {p95:.2f} ms per query (load + index build {built:.1f} s)"
            )


if __name__ == "__main__":
    main()
