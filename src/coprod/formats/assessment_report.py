"""An assessment as JSON data, terminal text, or Markdown to paste into a proposal."""

from __future__ import annotations

import textwrap
from typing import Any

from coprod.core.assess import Assessment, Reason, StageFinding, Warning
from coprod.core.catalogue import Catalogue
from coprod.core.catalogue.model import ChallengeEntry
from coprod.core.ids import Emphasis
from coprod.core.sources import Source

EMPHASIS_WORDS = {
    Emphasis.MORE: "more emphasis on coproduction",
    Emphasis.LEAN_MORE: "leaning towards more emphasis on coproduction",
    Emphasis.BALANCED: "a balance: neither more nor less emphasis on coproduction",
    Emphasis.LEAN_LESS: "leaning towards less emphasis on coproduction",
    Emphasis.LESS: "less emphasis on coproduction",
    Emphasis.INSUFFICIENT: "not enough answers to say",
}


GUIDANCE_ONLY = "Coprod gives guidance; the judgement is the team's."


def _source(source: Source, catalogue: Catalogue) -> dict[str, Any]:
    return {
        "document": source.document,
        "locator": source.locator,
        "quote": source.quote,
        "citation": catalogue.cite(source),
    }


def _cited(sources: tuple[Source, ...], catalogue: Catalogue) -> dict[str, Any]:
    """The main source first on its own, then every source the finding rests on."""
    return {
        "source": _source(sources[0], catalogue),
        "sources": [_source(s, catalogue) for s in sources],
    }


def _reason(reason: Reason, catalogue: Catalogue) -> dict[str, Any]:
    return {"rule": reason.rule, "text": reason.text, **_cited(reason.sources, catalogue)}


def _warning(warning: Warning, catalogue: Catalogue) -> dict[str, Any]:
    return {
        "id": warning.id,
        "message": warning.message,
        "subject": warning.subject,
        **_cited(warning.sources, catalogue),
    }


def _risk(entry: ChallengeEntry, catalogue: Catalogue) -> dict[str, Any]:
    return {
        "id": entry.id,
        "label": entry.label,
        "challenge": entry.source.quote or entry.label,
        "min_level": entry.min_level.value,
        "costs": [
            {
                "text": cost.text,
                "cost_types": [c.value for c in cost.cost_types],
                "bears": [b.value for b in cost.bears],
            }
            for cost in entry.costs
        ],
        "source": _source(entry.source, catalogue),
    }


def _stage(finding: StageFinding, catalogue: Catalogue) -> dict[str, Any]:
    return {
        "stage": finding.stage.value,
        "label": catalogue.stages[finding.stage].label,
        "recommended_level": finding.recommended_level.value if finding.recommended_level else None,
        "chosen_level": finding.chosen_level.value if finding.chosen_level else None,
        "differs": finding.note is not None,
        "note": finding.note.text if finding.note else None,
        "reasons": [_reason(r, catalogue) for r in finding.reasons],
        "risks_at": finding.risks_at.value if finding.risks_at else None,
        "risks": [_risk(entry, catalogue) for entry in finding.risks],
        "methods": list(finding.methods),
    }


def assessment_data(assessment: Assessment) -> dict[str, Any]:
    """The assessment as data: the documented keys, with labels and sources for every finding."""
    catalogue = assessment.catalogue
    return {
        "title": assessment.title,
        "catalogue_version": assessment.catalogue_version,
        "emphasis": assessment.emphasis.emphasis.value,
        "emphasis_reason": _reason(assessment.emphasis_reason, catalogue),
        "drivers": [p.criterion.value for p in assessment.emphasis.drivers()],
        "criteria": [
            {
                "id": f.criterion.value,
                "label": catalogue.criteria[f.criterion].label,
                "answer": f.answer.value,
                "weight": f.weight,
                "weight_reason": f.weight_reason,
                "pull": f.pull,
                "reason": f.reason,
                "source": _source(f.source, catalogue),
            }
            for f in assessment.criteria
        ],
        "unknown": [c.value for c in assessment.unknown],
        "warnings": [_warning(w, catalogue) for w in assessment.warnings],
        "stages": [_stage(s, catalogue) for s in assessment.stages],
        "alternatives": [
            {
                "motivation": a.motivation.value,
                "outcomes": list(a.outcomes),
                "options": [
                    {
                        "id": o.id,
                        "label": o.label,
                        "serves_when": o.serves_when,
                        "costs": o.costs,
                        "relative_cost": o.relative_cost.value,
                        "source": _source(o.source, catalogue),
                    }
                    for o in a.options
                ],
                "recorded": [
                    {
                        "approach": r.approach,
                        "catalogue_id": r.catalogue_id,
                        "chosen": r.chosen,
                        "reason": r.reason,
                    }
                    for r in a.recorded
                ],
                "cautions": [
                    {"text": c.text, "source": _source(c.source, catalogue)}
                    for c in catalogue.motivations[a.motivation].cautions
                ],
            }
            for a in assessment.alternatives
        ],
    }


# --- Terminal text -------------------------------------------------------------------------------

_WIDTH = 88


def _wrap(text: str, indent: str = "", first: str | None = None) -> str:
    return textwrap.fill(
        " ".join(text.split()),
        width=_WIDTH,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
    )


def _heading(title: str) -> list[str]:
    return ["", title, "─" * len(title)]


def _cite(source: dict[str, Any]) -> str:
    quote = f' "{source["quote"]}"' if source.get("quote") else ""
    return f"[{source['citation']}]{quote}"


def assessment_text(assessment: Assessment) -> str:
    """A report that reads well in a terminal."""
    data = assessment_data(assessment)
    lines = [data["title"], "═" * min(len(data["title"]), _WIDTH)]
    emphasis = Emphasis(data["emphasis"])
    lines += ["", _wrap(f"Emphasis: {data['emphasis']} — {EMPHASIS_WORDS[emphasis]}.")]
    if data["drivers"]:
        labels = [
            assessment.catalogue.criteria[p.criterion].label.lower()
            for p in assessment.emphasis.drivers()
        ]
        lines.append(_wrap(f"Driven mostly by: {', '.join(labels)}."))
    lines.append(_wrap(_cite(data["emphasis_reason"]["source"]), "  "))

    lines += _heading("Context (Table 2)")
    for item in data["criteria"]:
        weight = f", weight {item['weight']}" if item["weight"] != "1" else ""
        pull = "not answered" if item["pull"] == "unknown" else f"pulls {item['pull']}"
        lines.append(f"• {item['label']}: {item['answer']} ({pull}{weight})")
        if item["reason"]:
            lines.append(_wrap(item["reason"], "    "))
        if item["weight_reason"]:
            lines.append(_wrap(f"Weight: {item['weight_reason']}", "    "))
        lines.append(_wrap(f"[{item['source']['citation']}]", "    "))

    if data["warnings"]:
        lines += _heading(f"Warnings ({len(data['warnings'])})")
        for warning in data["warnings"]:
            lines.append(_wrap(warning["message"], "    ", first=f"! {warning['id']}: "))
            lines.append(_wrap(_cite(warning["source"]), "    "))

    lines += _heading("Stages")
    for stage in data["stages"]:
        recommended = stage["recommended_level"] or "no suggestion yet"
        chosen = f"; your plan: {stage['chosen_level']}" if stage["chosen_level"] else ""
        lines.append(f"• {stage['label']}: suggest {recommended}{chosen}")
        for reason in stage["reasons"]:
            lines.append(
                _wrap(f"{reason['text']} [{reason['source']['citation']}]", "      ", "    - ")
            )
        if stage["note"]:
            lines.append(_wrap(stage["note"], "      ", "    → "))
        if stage["risks"]:
            lines.append(f"    Risks at '{stage['risks_at']}' (Table 1):")
            for risk in stage["risks"]:
                costs = "; ".join(
                    f"{c['text']} ({', '.join(c['cost_types'])}; borne by {', '.join(c['bears'])})"
                    for c in risk["costs"]
                )
                lines.append(_wrap(f'"{risk["challenge"]}" → {costs}', "        ", "      · "))
        if stage["methods"]:
            lines.append(
                _wrap(f"Methods that fit: {', '.join(stage['methods'][:6])}", "      ", "    ")
            )

    if data["alternatives"]:
        lines += _heading("Step 2: other ways to reach each aim")
        for block in data["alternatives"]:
            label = assessment.catalogue.motivations[block["motivation"]].label
            lines.append(f"• {label} ({block['motivation']})")
            for outcome in block["outcomes"]:
                lines.append(_wrap(f"Outcome: {outcome}", "      ", "    "))
            for caution in block["cautions"]:
                lines.append(
                    _wrap(f"{caution['text']} {_cite(caution['source'])}", "      ", "    ! ")
                )
            for option in block["options"]:
                lines.append(
                    _wrap(f"{option['label']}: {option['serves_when']}", "      ", "    - ")
                )
            if block["recorded"]:
                for record in block["recorded"]:
                    verdict = "chosen" if record["chosen"] else "considered, not chosen"
                    why = f": {record['reason']}" if record["reason"] else ""
                    text = f"Your team: {record['approach']} — {verdict}{why}"
                    lines.append(_wrap(text, "      ", "    ▸ "))
            else:
                lines.append("    ! Your team has recorded no choice for this aim yet.")
    lines += [
        "",
        _wrap(f"Catalogue {data['catalogue_version']}. {GUIDANCE_ONLY}"),
    ]
    return "\n".join(lines) + "\n"


# --- Markdown -------------------------------------------------------------------------------------


def _md_cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def assessment_markdown(assessment: Assessment) -> str:
    """Markdown that pastes into a grant proposal: tables, quotes and a list of sources."""
    data = assessment_data(assessment)
    catalogue = assessment.catalogue
    emphasis = Emphasis(data["emphasis"])
    out = [f"## Coproduction assessment: {_md_cell(data['title'])}", ""]
    out.append(f"**Emphasis on coproduction: {data['emphasis']}** — {EMPHASIS_WORDS[emphasis]}.")
    if data["drivers"]:
        labels = [
            catalogue.criteria[p.criterion].label.lower() for p in assessment.emphasis.drivers()
        ]
        out.append(f"The answers that drove it most: {', '.join(labels)}.")
    out += ["", "### Context (Oliver, Kothari & Mays 2019, Table 2)", ""]
    out += ["| Criterion | Answer | Pulls | Why |", "|---|---|---|---|"]
    for item in data["criteria"]:
        why = item["reason"] or "Not yet answered."
        if item["weight_reason"]:
            why += f" Weight {item['weight']}: {item['weight_reason']}"
        out.append(f"| {item['label']} | {item['answer']} | {item['pull']} | {_md_cell(why)} |")
    if data["warnings"]:
        out += ["", "### Warnings", ""]
        for warning in data["warnings"]:
            message = _md_cell(warning["message"])
            out.append(f"- **{warning['id']}**: {message} ({warning['source']['citation']})")
    out += ["", "### Involvement by stage", ""]
    out += ["| Stage | Suggested | Planned | Risks at that level (Table 1) |", "|---|---|---|---|"]
    for stage in data["stages"]:
        risks = "; ".join(_md_cell(r["challenge"]) for r in stage["risks"]) or "—"
        out.append(
            f"| {stage['label']} | {stage['recommended_level'] or '—'} | "
            f"{stage['chosen_level'] or '—'} | {risks} |"
        )
    notes = [s for s in data["stages"] if s["note"]]
    if notes:
        out.append("")
        for stage in notes:
            out.append(f"- *{stage['label']}*: {stage['note']}")
    if data["alternatives"]:
        out += ["", "### Alternatives considered (step 2)", ""]
        for block in data["alternatives"]:
            out.append(f"**{catalogue.motivations[block['motivation']].label}**")
            out.append("")
            for record in block["recorded"]:
                verdict = "chosen" if record["chosen"] else "not chosen"
                why = f" — {record['reason']}" if record["reason"] else ""
                out.append(f"- {record['approach']}: {verdict}{why}")
            if not block["recorded"]:
                options = ", ".join(o["label"] for o in block["options"][:4])
                out.append(f"- No alternative recorded yet. Options include: {options}.")
            out.append("")
    cited = {s.document for s in _all_sources(assessment)}
    out += ["", "### Sources", ""]
    for document_id in sorted(cited):
        document = catalogue.documents[document_id]
        link = f" {document.url}" if document.url else ""
        out.append(f"- {' '.join(document.citation.split())}{link}")
    out += [
        "",
        f"*Made with Coprod (catalogue {data['catalogue_version']}). {GUIDANCE_ONLY}*",
        "",
    ]
    return "\n".join(out)


def _all_sources(assessment: Assessment) -> list[Source]:
    sources = [f.source for f in assessment.criteria]
    sources += [s for w in assessment.warnings for s in w.sources]
    sources += [s for st in assessment.stages for r in st.reasons for s in r.sources]
    sources += list(assessment.emphasis_reason.sources)
    return sources
