"""Scale: cold build (time and peak memory), warm `show` and `search` (whole process, with their
memory), the interactive session's first answer, and in-process search over the dev query set, as
the knowledge base grows. Whole-process times are also given as ratios to `python -c pass`
measured alternately in the same rounds as every size (so the sizes are compared under the same load).

    python bench/scale.py [--sizes 36,1000,10000] [--runs 5]

For each size a synthetic knowledge base in the real schema is written (bench/synth_kb.py; the
36-item case is the real one). The cache is found as a user's rsguide finds it (no
RSGUIDE_CACHE_DIR; XDG_CACHE_HOME points at a temporary folder so the bench leaves nothing behind).
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

from rsguide.kb.paths import packaged_data_dir  # noqa: E402

RSGUIDE = str(Path(sys.executable).with_name("rsguide"))


def measure(cmd: list[str], env: dict[str, str], stdin: bytes | None = None) -> tuple[float, float]:
    """Wall milliseconds and peak RSS (MB) of one process."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert proc.stdin is not None
    if stdin:
        proc.stdin.write(stdin)
    proc.stdin.close()
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = (time.perf_counter() - t) * 1000
    return wall, usage.ru_maxrss / 1024


def in_process_search(data: Path, env: dict[str, str], queries: list[str]) -> list[float]:
    """Search times (ms, sorted) measured in a child process, so that this one stays small (a child's
    peak RSS starts at its parent's)."""
    code = f"import sys; sys.path.insert(0, {str(ROOT / 'bench')!r}); import scale; scale._search_times()"
    proc = subprocess.run(
        [sys.executable, "-c", code, str(data)], env=env, input="\n".join(queries), capture_output=True, text=True
    )
    if proc.returncode:
        sys.exit(f"in-process search failed:\n{proc.stderr[-2000:]}")
    return sorted(float(x) for x in proc.stdout.split())


def _search_times() -> None:
    from rsguide.kb import cache
    from rsguide.search.engine import search

    store = cache.open_store(sys.argv[1])
    assert store is not None
    for q in sys.stdin.read().splitlines():
        index = store.index()  # a fresh process's view: nothing read yet
        t = time.perf_counter()
        search(index, q)
        print((time.perf_counter() - t) * 1000)


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
    with tempfile.TemporaryDirectory() as tmp:
        bases = []
        for n in (int(x) for x in args.sizes.split(",")):
            data = packaged_data_dir() if n == 36 else Path(tmp) / f"kb{n}"
            name = "失业登记"
            if n != 36:  # generated in a child process, so that this one stays small
                code = f"from synth_kb import synth; print(synth({n}, __import__('pathlib').Path({str(data)!r}))[{n // 2}])"
                out = subprocess.run([sys.executable, "-c", code], cwd=ROOT / "bench", capture_output=True, text=True)
                name = out.stdout.strip()
            drop = ("RSGUIDE_CACHE_DIR", "RSGUIDE_NO_CACHE", "RSGUIDE_DATA", "PYTHONDONTWRITEBYTECODE")
            env = {k: v for k, v in os.environ.items() if k not in drop}
            env.update({"XDG_CACHE_HOME": str(Path(tmp) / f"xdg{n}"), "RSGUIDE_MAX_FILE_MB": "1024"})
            base = [RSGUIDE, "--data", str(data)]
            cold, cold_rss = measure([*base, "show", name, "--format", "plain"], env)
            bases.append({"n": n, "data": data, "name": name, "env": env, "base": base, "cold": cold,
                          "cold_rss": cold_rss, "shows": [], "searches": [], "rss": [], "repls": []})
        # Every size and `python -c pass` alternate in the same rounds, so that the sizes are compared
        # under the same load (a busy minute spoils every size alike, not one of them).
        passes = []
        for _ in range(args.runs):
            passes.append(measure([sys.executable, "-c", "pass"], bases[0]["env"])[0])
            for b in bases:
                base, env = b["base"], b["env"]
                b["shows"].append(measure([*base, "show", b["name"], "--format", "plain"], env)[0])
                wall, rss = measure([*base, "search", "社保卡补领"], env)
                b["searches"].append(wall)
                b["rss"].append(rss)
                # `rsguide repl` (bare `rsguide` opens the session only on a terminal, else prints help)
                b["repls"].append(measure([*base, "repl"], env, stdin="社保卡补领\nq\n".encode())[0])
        p = statistics.median(passes)
        for b in bases:
            times = in_process_search(b["data"], b["env"], queries)
            rows.append(
                {
                    "items": b["n"],
                    "cold s": b["cold"] / 1000,
                    "cold MB": b["cold_rss"],
                    "pass ms": p,
                    "show ×": statistics.median(b["shows"]) / p,
                    "search ×": statistics.median(b["searches"]) / p,
                    "search MB": max(b["rss"]),
                    "repl 1st s": statistics.median(b["repls"]) / 1000,
                    "q med ms": statistics.median(times),
                    "q p95 ms": times[int(len(times) * 0.95) - 1],
                }
            )
    keys = list(rows[0])
    print(" ".join(f"{k:>10}" for k in keys))
    for row in rows:
        print(" ".join(f"{row[k]:>10,.2f}" if isinstance(row[k], float) else f"{row[k]:>10,}" for k in keys))
    first = rows[0]
    for row in rows[1:]:
        print(
            f"{row['items']:,} items vs {first['items']:,}: show {row['show ×'] / first['show ×']:.2f}×, "
            f"search {row['search ×'] / first['search ×']:.2f}×"
        )


if __name__ == "__main__":
    main()
