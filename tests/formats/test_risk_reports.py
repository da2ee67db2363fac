"""The risk register's reports: JSON data, terminal text, XLSX workbook and heat-map PNG."""

from __future__ import annotations

import datetime as dt
import io
import json
import struct
from pathlib import Path

import pytest
from tests.conftest import EXAMPLES

from coprod.core.catalogue import Catalogue
from coprod.core.plan import Risk
from coprod.core.risks import TEAMS_OWN, RegisterEntry, heat_map, risk_register
from coprod.formats.plan_file import load_plan
from coprod.formats.risk_reports import (
    HEAT_MAP_PIXELS,
    REGISTER_COLUMNS,
    heat_map_description,
    heat_map_png,
    risk_register_data,
    risk_register_text,
    risk_register_xlsx,
)

FALLS = next(p for p in EXAMPLES if p.name == "falls-prevention-evaluation.yaml")
TODAY = dt.date(2026, 12, 20)
RISK_KEYS = {
    "stage", "challenge", "cost_types", "bears", "bears_who", "likelihood", "impact", "score",
    "status", "mitigation", "owner", "review", "catalogue_id", "source",
}  # fmt: skip
SOURCE_KEYS = {"document", "locator", "quote", "citation"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def falls(catalogue: Catalogue) -> list[RegisterEntry]:
    plan = load_plan(FALLS, catalogue).plan
    own = Risk(
        challenge="The only step-free venue may close for refurbishment",
        likelihood=2,
        impact=3,
        status="open",
    )
    plan = plan.model_copy(update={"risks": [*plan.risks, own]})
    return risk_register(plan, catalogue)


def test_json_has_the_documented_keys(falls: list[RegisterEntry], catalogue: Catalogue) -> None:
    data = risk_register_data(falls, catalogue, title="Falls", today=TODAY)
    json.dumps(data)  # plain JSON, nothing that needs a custom encoder
    assert {"risks", "heat_map", "reviews_due"} <= set(data)
    assert len(data["risks"]) == len(falls)
    for item in data["risks"]:
        assert set(item) >= RISK_KEYS
        if item["source"] is not None:
            assert set(item["source"]) == SOURCE_KEYS
            assert item["source"]["citation"].startswith("Oliver, Kothari & Mays 2019")
    own = [i for i in data["risks"] if i["catalogue_id"] is None]
    assert len(own) == 1 and own[0]["source"] is None and own[0]["score"] == 6
    rated = [i for i in data["risks"] if i["likelihood"] and i["impact"]]
    assert all(i["score"] == i["likelihood"] * i["impact"] for i in rated)
    assert data["heat_map"]["counts"] == heat_map(falls)
    assert data["heat_map"]["total"] == 5  # 4 live rated risks in the file, plus our own
    assert [r["review"] for r in data["reviews_due"]] == ["2026-12-15"]
    assert data["reviews_due"][0]["days_overdue"] == 5


def test_text_shows_the_heat_map_reviews_and_sources(
    falls: list[RegisterEntry], catalogue: Catalogue
) -> None:
    text = risk_register_text(falls, catalogue, title="Steady Steps", today=TODAY)
    flat = " ".join(text.split())
    assert "Risk register: Steady Steps" in text
    assert "Heat map" in text and "Likely" in text and "Severe" in text
    assert "Reviews due on 2026-12-20 (1)" in text
    assert TEAMS_OWN in text
    assert "Proposed by Coprod" in text
    assert "score 16 = likelihood 4 × impact 4" in flat
    assert "[Oliver, Kothari & Mays 2019, Challenges and costs (second)]" in flat
    assert max(len(line) for line in text.splitlines()) <= 88
    # the grid row for "4 Likely" holds the one risk rated likely with major impact
    likely = next(line for line in text.splitlines() if line.startswith("4 Likely"))
    assert likely.split()[2:] == ["·", "·", "·", "1", "·"]


def test_xlsx_opens_with_one_row_per_risk(falls: list[RegisterEntry], catalogue: Catalogue) -> None:
    from openpyxl import load_workbook

    data = risk_register_xlsx(falls, catalogue, title="Falls", today=TODAY)
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Risk register", "Heat map"]
    sheet = workbook["Risk register"]
    header = [cell.value for cell in sheet[1]]
    assert header == [name for name, _ in REGISTER_COLUMNS]
    assert sheet.max_row == 1 + len(falls)
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width >= 40
    assert sheet["B2"].alignment.wrap_text
    column = {name: index for index, name in enumerate(header)}
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    for row, entry in zip(rows, falls, strict=True):
        assert row[column["Score"]] == entry.score
        assert row[column["Status"]] == entry.risk.status
    first = rows[0]
    assert first[column["Score"]] == 16
    assert first[column["Next review"]].date() == dt.date(2027, 3, 1)
    assert any(row[column["Source"]] == TEAMS_OWN for row in rows)

    heat = workbook["Heat map"]
    grid = [[heat.cell(row=r, column=c).value for c in range(2, 7)] for r in range(6, 11)]
    assert grid == list(reversed(heat_map(falls)))  # most likely at the top
    assert heat["A6"].value == "5 Almost certain"
    assert heat["F5"].value == "5 Severe"


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_heat_map_png_is_a_png_of_the_documented_size(falls: list[RegisterEntry]) -> None:
    data = heat_map_png(falls, title="Steady Steps")
    assert data.startswith(PNG_SIGNATURE)
    assert _png_size(data) == HEAT_MAP_PIXELS
    assert _png_size(heat_map_png([])) == HEAT_MAP_PIXELS
    assert _png_size(heat_map_png(falls, dpi=50)) == tuple(n // 2 for n in HEAT_MAP_PIXELS)


def test_heat_map_png_uses_a_colour_blind_safe_palette(falls: list[RegisterEntry]) -> None:
    # Decode the picture and look at it: the colours that fill cells come from cividis.
    from collections import Counter

    from matplotlib import colormaps
    from matplotlib.image import imread

    pixels = imread(io.BytesIO(heat_map_png(falls)), format="png")
    counted = Counter(tuple(round(float(c), 2) for c in px[:3]) for row in pixels for px in row)
    total = sum(counted.values())
    fills = [c for c, n in counted.items() if n > total / 100 and max(c) - min(c) > 0.15]
    assert fills, "some cells are coloured"
    cividis = [colormaps["cividis"](x / 100)[:3] for x in range(101)]
    for colour in fills:
        nearest = min(sum(abs(a - b) for a, b in zip(colour, c, strict=True)) for c in cividis)
        assert nearest < 0.03, colour


def test_heat_map_description_says_the_same_in_words(falls: list[RegisterEntry]) -> None:
    words = heat_map_description(falls)
    assert words.startswith("Risk heat map of 5 rated risks")
    assert "1 likely with major impact" in words
    assert heat_map_description([]) == "Risk heat map: no risk is rated yet."


def test_closed_and_dismissed_risks_stay_in_the_register_but_leave_the_heat_map(
    catalogue: Catalogue,
) -> None:
    closed = Risk(challenge="a", likelihood=5, impact=5, status="closed")
    gone = Risk(challenge="b", likelihood=5, impact=5, status="dismissed", reason="no")
    entries = [RegisterEntry(closed, None, "plan"), RegisterEntry(gone, None, "plan")]
    data = risk_register_data(entries, catalogue, today=TODAY)
    assert [r["status"] for r in data["risks"]] == ["closed", "dismissed"]
    assert data["heat_map"]["total"] == 0


def test_reports_of_every_example(catalogue: Catalogue, tmp_path: Path) -> None:
    for example in EXAMPLES:
        entries = risk_register(load_plan(example, catalogue).plan, catalogue)
        assert risk_register_text(entries, catalogue, today=TODAY)
        assert risk_register_xlsx(entries, catalogue, today=TODAY)[:2] == b"PK"
