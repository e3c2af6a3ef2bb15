"""Whole-process startup: rsguide's commonest commands against `python -c pass` and
`python -c "import typer"`, measured alternately in the same run (these machines are noisy, so
compare the ratios).

    python bench/startup.py [--runs 15]
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

RSGUIDE = str(Path(sys.executable).with_name("rsguide"))
CASES = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "python -c 'import typer'": [sys.executable, "-c", "import typer"],
    "rsguide show 失业登记 --format plain": [RSGUIDE, "show", "失业登记", "--format", "plain"],
    "rsguide show 失业登记 --format table": [RSGUIDE, "show", "失业登记", "--format", "table"],
    "rsguide search 社保卡": [RSGUIDE, "search", "社保卡"],
    "rsguide --help": [RSGUIDE, "--help"],
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    env = {**os.environ, "RSGUIDE_CACHE_DIR": tempfile.mkdtemp(prefix="rsguide-bench-")}
    subprocess.run(CASES["rsguide search 社保卡"], env=env, capture_output=True, check=True)  # warm the cache
    times: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(args.runs):
        for name, cmd in CASES.items():  # alternate, so that drift hits every case alike
            t = time.perf_counter()
            subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            times[name].append((time.perf_counter() - t) * 1000)
    base = statistics.median(times["python -c 'import typer'"])
    print(f"{'command':42} {'median ms':>10} {'× import typer':>15}")
    for name, values in times.items():
        med = statistics.median(values)
        print(f"{name:42} {med:10.1f} {med / base:15.2f}")


if __name__ == "__main__":
    main()
