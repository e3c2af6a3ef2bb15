"""Scale: cold build, warm start, search time and `show` wall time as the knowledge base grows.

    python bench/scale.py [--sizes 36,1000,10000] [--runs 5]

For each size a synthetic knowledge base in the real schema is written (bench/synth_kb.py; the
36-item case is the real one), then: cold build (first `rsguide --data DIR show NAME`, empty
cache), warm `show` by exact name and warm `search` (whole process, median), and in-process search
median and p95 over the dev query set.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from rsguide import cache  # noqa: E402
from rsguide.paths import packaged_data_dir  # noqa: E402
from rsguide.search import search  # noqa: E402
from synth_kb import synth  # noqa: E402

RSGUIDE = str(Path(sys.executable).with_name("rsguide"))


def wall(cmd: list[str], env: dict[str, str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return (time.perf_counter() - t) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="36,1000,10000")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    queries = [
        line.split("\t")[0]
        for line in (ROOT / "tests/data/queries_dev.tsv").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    rows = []
    for n in (int(x) for x in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            data = packaged_data_dir() if n == 36 else Path(tmp) / "kb"
            name = "失业登记" if n == 36 else synth(n, data)[n // 2]
            env = {**os.environ, "RSGUIDE_CACHE_DIR": str(Path(tmp) / "cache"), "RSGUIDE_MAX_FILE_MB": "1024"}
            os.environ.update(env)
            cold = wall([RSGUIDE, "--data", str(data), "show", name, "--format", "plain"], env)
            shows, searches = [], []
            for _ in range(args.runs):
                shows.append(wall([RSGUIDE, "--data", str(data), "show", name, "--format", "plain"], env))
                searches.append(wall([RSGUIDE, "--data", str(data), "search", "社保卡补领"], env))
            store = cache.open_store(data)
            assert store is not None
            index = store.index()
            times = []
            for q in queries:
                t = time.perf_counter()
                search(index, q)
                times.append((time.perf_counter() - t) * 1000)
            times.sort()
            rows.append(
                (
                    n,
                    cold,
                    statistics.median(shows),
                    statistics.median(searches),
                    statistics.median(times),
                    times[int(len(times) * 0.95) - 1],
                )
            )
    base = rows[0][2]
    print(
        f"{'items':>7} {'cold build ms':>14} {'warm show ms':>13} {'× 36':>6} {'warm search ms':>15} {'search med ms':>14} {'p95 ms':>8}"
    )
    for n, cold, show, srch, med, p95 in rows:
        print(f"{n:7,} {cold:14.0f} {show:13.0f} {show / base:6.2f} {srch:15.0f} {med:14.2f} {p95:8.2f}")


if __name__ == "__main__":
    main()
