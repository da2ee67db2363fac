"""Benchmark: `coprod participation` over 100 hours of meetings, against merely reading them.

Builds the meetings in a temporary folder by repeating the eight AMI meetings in
../shared/data/meetings/ami (about four hours), each copy in one of the formats users bring, in
turn: WebVTT with voices, Zoom VTT, Teams VTT, Otter TXT, plain "Name: text", Teams DOCX. Each file
holds the whole meeting's words (from the turn file); the times are laid out as the test
fixtures lay them (a second per turn and 0.4 s per word). An hour counts as an hour of the
original meeting (its RTTM's last end).

In the same run, alternating, it times:

- reading: each file's bytes read and decoded as UTF-8 (a DOCX's bytes read), the floor;
- parsing: Coprod's reader alone (``read_transcript``, text kept), in one process;
- ``coprod participation FILES --format json``, the whole command in a fresh process, start-up
  included.

Then peak memory of the command at 10, 50 and 100 hours, each in a fresh process: the
tracemalloc peak of Python's allocations and the process's maximum resident set size.

Run: ``.venv/bin/python benchmarks/participation_throughput.py [--hours 100] [--runs 3]``.
The AMI Meeting Corpus is CC BY 4.0 (Carletta et al. 2006); see tests/data/meetings/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AMI = ROOT.parent / "shared" / "data" / "meetings" / "ami"
FORMATS = ("vtt", "zoom", "teams-vtt", "otter", "plain", "teams-docx")


def _stamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02}:{minutes:02}:{secs:02}.{millis:03}"


def _clock(seconds: float) -> str:
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def _timed(turns: list[dict[str, str]]) -> list[tuple[str, float, float, str]]:
    result, at = [], 0.0
    for turn in turns:
        length = 1 + 0.4 * len(turn["content"].split())
        result.append((turn["speaker"], at, at + length, turn["content"]))
        at += length
    return result


def write_meeting(folder: Path, stem: str, fmt: str, turns: list[dict[str, str]]) -> Path:
    timed = _timed(turns)
    if fmt == "teams-docx":
        from docx import Document

        document = Document()
        document.add_paragraph(f"{stem}-Meeting Recording")
        for speaker, start, _, text in timed:
            paragraph = document.add_paragraph(f"{speaker}   {_clock(start)}")
            paragraph.add_run().add_break()
            paragraph.add_run(text)
        path = folder / f"{stem}.docx"
        document.save(str(path))
        return path
    if fmt == "otter":
        body = "\n".join(f"{s}  {_clock(a)}\n{t}\n" for s, a, _, t in timed)
        path = folder / f"{stem}.otter.txt"
    elif fmt == "plain":
        body = "".join(f"{s}: {t}\n" for s, _, _, t in timed)
        path = folder / f"{stem}.txt"
    else:
        cues = []
        for number, (s, a, b, t) in enumerate(timed):
            cue_id = (
                f"5d1c0e2a-0000-4000-8000-{number:012}/{number}-0" if fmt == "teams-vtt" else ""
            )
            said = f"{s}: {t}" if fmt == "zoom" else f"<v {s}>{t}</v>"
            cues.append("\n".join(x for x in (cue_id, f"{_stamp(a)} --> {_stamp(b)}", said) if x))
        body = "WEBVTT\n\n" + "\n\n".join(cues) + "\n"
        path = folder / f"{stem}.{fmt}.vtt"
    path.write_text(body, encoding="utf-8")
    return path


def _hours(rttm: Path) -> float:
    """The meeting's length: the last end of speech in its RTTM."""
    lines = rttm.read_text().splitlines()
    return max(float(f[3]) + float(f[4]) for f in map(str.split, lines)) / 3600


def build(folder: Path, hours: float) -> tuple[list[Path], list[float]]:
    """Files until ``hours`` of meetings, and each file's hours."""
    meetings = sorted(p.name.removesuffix(".turns.json") for p in AMI.glob("*.turns.json"))
    source = {
        m: (
            json.loads((AMI / f"{m}.turns.json").read_text())["turns"],
            _hours(AMI / f"{m}.rttm"),
        )
        for m in meetings
    }
    files, lengths, total, copy = [], [], 0.0, 0
    while total < hours:
        for meeting in meetings:
            if total >= hours:
                break
            fmt = FORMATS[len(files) % len(FORMATS)]
            turns, length = source[meeting]
            files.append(write_meeting(folder, f"{meeting}-{copy:03}", fmt, turns))
            lengths.append(length)
            total += length
        copy += 1
    return files, lengths


def read_only(files: list[Path]) -> None:
    for path in files:
        data = path.read_bytes()
        if path.suffix != ".docx":
            data.decode("utf-8-sig")


def parse_only(files: list[Path]) -> None:
    from coprod.formats.transcripts import read_transcript

    for path in files:
        read_transcript(path)


def command(files: list[Path]) -> None:
    subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "coprod"),
            "participation",
            *map(str, files),
            "--format",
            "json",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def child(files: list[str]) -> None:
    """Run the command in this process and report its peak memory."""
    from coprod.cli.app import app

    tracemalloc.start()
    with contextlib.redirect_stdout(io.StringIO()) as out, contextlib.suppress(SystemExit):
        app(["participation", *files, "--format", "json"])
    _, peak = tracemalloc.get_traced_memory()
    meetings = len(json.loads(out.getvalue())["meetings"])
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"meetings": meetings, "traced_peak": peak, "max_rss": rss_kib * 1024}))


def memory(files: list[Path]) -> dict[str, int]:
    run = subprocess.run(
        [sys.executable, __file__, "--child", *map(str, files)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, int] = json.loads(run.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=100.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs="*")
    args = parser.parse_args()
    if args.child is not None:
        child(args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        files, lengths = build(Path(tmp), args.hours)
        size = sum(p.stat().st_size for p in files)
        print(f"{len(files)} files, {sum(lengths):.1f} hours, {size / 1e6:.1f} MB")
        steps: dict[str, Callable[[list[Path]], None]] = {
            "reading (bytes + UTF-8)": read_only,
            "parsing (read_transcript)": parse_only,
            "coprod participation --format json": command,
        }
        times: dict[str, list[float]] = {name: [] for name in steps}
        for _ in range(args.runs):
            for name, step in steps.items():
                began = time.perf_counter()
                step(files)
                times[name].append(time.perf_counter() - began)
        medians = {name: statistics.median(t) for name, t in times.items()}
        print(f"median of {args.runs} runs (s):")
        reading, parsing = medians["reading (bytes + UTF-8)"], medians["parsing (read_transcript)"]
        for name, value in medians.items():
            print(
                f"  {name:<38} {value:8.2f}  ×reading {value / reading:7.1f}"
                f"  ×parsing {value / parsing:5.2f}"
            )
        print("peak memory of the command:")
        for hours in (10, 50, args.hours):
            count, total = 0, 0.0
            while count < len(files) and total < hours:
                total += lengths[count]
                count += 1
            found = memory(files[:count])
            print(
                f"  {total:6.1f} h, {found['meetings']:4} files: traced peak "
                f"{found['traced_peak'] / 1e6:6.1f} MB, max RSS {found['max_rss'] / 1e6:6.1f} MB"
            )


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
