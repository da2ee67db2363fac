"""Whole-process wall time of `coprod assess` on the example plans.

The baseline, measured in the same run, is `python -c "import yaml"`: the least a Python tool that
reads YAML can cost. Runs alternate between the commands so that a busy machine slows all alike.

    .venv/bin/python benchmarks/cli_startup.py [--runs 30]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def _time(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="timed runs of each command")
    args = parser.parse_args()
    python = sys.executable
    commands = {
        "python -c pass": [python, "-c", "pass"],
        "python -c 'import yaml' (baseline)": [python, "-c", "import yaml"],
        "python -c 'import pydantic.main'": [python, "-c", "import pydantic.main"],
        "coprod --version (Typer's own floor)": [python, "-m", "coprod", "--version"],
    }
    for example in EXAMPLES:
        commands[f"coprod assess {example.name} --format json"] = [
            python, "-m", "coprod", "assess", str(example), "--format", "json",
        ]  # fmt: skip
    commands["coprod validate (all examples)"] = [
        python, "-m", "coprod", "validate", *map(str, EXAMPLES),
    ]  # fmt: skip
    for command in commands.values():  # warm the file cache and byte-code
        _time(command)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, command in commands.items():
            times[name].append(_time(command))
    baseline = statistics.median(times["python -c 'import yaml' (baseline)"])
    print(f"{args.runs} runs each, median wall time, Python {sys.version.split()[0]}\n")
    print("| command | median (ms) | × baseline |")
    print("|---|---:|---:|")
    for name, samples in times.items():
        median = statistics.median(samples)
        print(f"| {name} | {median * 1000:.0f} | {median / baseline:.2f} |")


if __name__ == "__main__":
    main()
