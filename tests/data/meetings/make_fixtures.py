"""Make the participation fixtures here from the AMI files in ../shared/data/meetings/ami.

Run from the repository root: ``python tests/data/meetings/make_fixtures.py [AMI folder]``.
The AMI Meeting Corpus is CC BY 4.0; see README.md for the attribution.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
SECONDS = 300  # RTTM segments starting in the first five minutes
TURNS = 60  # the first sixty turns of the turn file


def _stamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02}:{minutes:02}:{secs:02}.{millis:03}"


def main(source: Path) -> None:
    rttm = [
        line
        for line in (source / "ES2004a.rttm").read_text().splitlines()
        if float(line.split()[3]) < SECONDS
    ]
    (HERE / "ES2004a.first5min.rttm").write_text("\n".join(rttm) + "\n")
    voice = ["WEBVTT", ""]
    zoom = ["WEBVTT", ""]
    for number, line in enumerate(rttm, start=1):
        fields = line.split()
        start, duration, speaker = float(fields[3]), float(fields[4]), fields[7]
        timing = f"{_stamp(start)} --> {_stamp(start + duration)}"
        voice += [str(number), timing, f"<v {speaker}>(speech)</v>", ""]
        zoom += [str(number), timing, f"{speaker}: (speech)", ""]
    (HERE / "ES2004a.first5min.vtt").write_text("\n".join(voice))
    # Zoom's export as Windows tools write it: a byte-order mark and CRLF line endings.
    (HERE / "ES2004a.first5min.zoom.vtt").write_bytes(
        b"\xef\xbb\xbf" + "\r\n".join(zoom).encode("utf-8")
    )
    data = json.loads((source / "ES2004a.turns.json").read_text())
    turns = data["turns"][:TURNS]
    (HERE / "ES2004a.first60.turns.json").write_text(
        json.dumps({"meeting": "ES2004a", "turns": turns}, indent=1, ensure_ascii=False) + "\n"
    )
    plain = [f"{turn['speaker']}: {turn['content']}" for turn in turns]
    (HERE / "ES2004a.first60.txt").write_text("\n".join(plain) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/meetings/ami"))
