"""Whole-process start-up of rsguide's commonest commands, as ratios to `python -c pass` measured
alternately in the same run (these machines are noisy: compare the ratios, not the milliseconds).

The real user path: no ``RSGUIDE_CACHE_DIR``, so the default cache folder is found as a clerk's
rsguide finds it (platformdirs' cost, where it is used, counts).

    python bench/startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

RSGUIDE = str(Path(sys.executable).with_name("rsguide"))
CASES = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "show 失业登记 --format plain": [RSGUIDE, "show", "失业登记", "--format", "plain"],
    "show 4 --format json": [RSGUIDE, "show", "4", "--format", "json"],
    "show 失业登记 (table)": [RSGUIDE, "show", "失业登记"],
    "search 社保卡": [RSGUIDE, "search", "社保卡"],
    "materials 4 --when 代办": [RSGUIDE, "materials", "4", "--when", "代办"],
    "check 14 --missing 身份证复印件": [RSGUIDE, "check", "14", "--missing", "身份证复印件"],
    "--help": [RSGUIDE, "--help"],
}
TARGETS = {
    "show 失业登记 --format plain": 2.5,
    "show 4 --format json": 2.5,
    "show 失业登记 (table)": 4.0,
    "search 社保卡": 4.0,
    "materials 4 --when 代办": 4.0,
    "check 14 --missing 身份证复印件": 4.0,
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    drop = ("RSGUIDE_CACHE_DIR", "RSGUIDE_NO_CACHE", "RSGUIDE_DATA", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    # An installed package has its bytecode compiled; a checkout run with PYTHONDONTWRITEBYTECODE would not.
    import rsguide

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(rsguide.__file__).parent)], check=False)
    subprocess.run(CASES["search 社保卡"], env=env, capture_output=True, check=True)  # warm the cache
    times: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(args.runs):
        for name, cmd in CASES.items():  # alternate, so that drift hits every case alike
            t = time.perf_counter()
            subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            times[name].append((time.perf_counter() - t) * 1000)
    base = statistics.median(times["python -c pass"])
    print(f"{'command':36} {'median ms':>10} {'× python -c pass':>17} {'target':>7}")
    for name, values in times.items():
        med = statistics.median(values)
        target = f"≤{TARGETS[name]}" if name in TARGETS else ""
        print(f"{name:36} {med:10.1f} {med / base:17.2f} {target:>7}")


if __name__ == "__main__":
    main()
