"""The register in words for the pages: catalogue names, the core's rating words, plain statuses.

Nothing here judges a risk; it only says what the core and the catalogue hold, and hides people's
names from those who may not see personal data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coprod.core.catalogue import Catalogue
from coprod.core.ids import Bearer, CostType, Stage
from coprod.core.risks import IMPACT_WORDS, LIKELIHOOD_WORDS, SCALE
from coprod.web.risks.models import STATUS_LABELS

if TYPE_CHECKING:
    from coprod.web.risks.selectors import Line

WHOLE_PROJECT = gettext_lazy("Whole project")
HIDDEN = gettext_lazy("Only the team sees who this is")

STATUS_HELP = {
    "proposed": gettext_lazy("Coprod proposes it from the paper; your team has not decided yet."),
    "open": gettext_lazy("In the register and not yet dealt with."),
    "mitigated": gettext_lazy("Steps are in place that make it less likely or less harmful."),
    "closed": gettext_lazy("It can no longer happen, or it is over."),
    "accepted": gettext_lazy("Your team has decided to live with it as it is. Say why."),
    "dismissed": gettext_lazy("Your team has decided it does not apply. Say why."),
}


def stage_label(catalogue: Catalogue, stage: Stage | str | None) -> str:
    if not stage:
        return str(WHOLE_PROJECT)
    return catalogue.stages[Stage(stage)].label


def cost_type_names(catalogue: Catalogue, values: Iterable[CostType | str]) -> list[str]:
    return [catalogue.cost_types[CostType(value)].label for value in values]


def bearer_names(catalogue: Catalogue, values: Iterable[Bearer | str]) -> list[str]:
    return [catalogue.bearers[Bearer(value)].label for value in values]


def likelihood_text(value: int | None) -> str:
    """'4 – Likely', from the core's words."""
    return f"{value} – {LIKELIHOOD_WORDS[value]}" if value is not None else ""


def impact_text(value: int | None) -> str:
    return f"{value} – {IMPACT_WORDS[value]}" if value is not None else ""


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


@dataclass(frozen=True)
class RiskView:
    """One risk as a page shows it."""

    pk: int | None
    anchor: str
    title: str
    challenge: str
    show_challenge: bool
    help: str | None
    stage: str
    cost_types: list[str]
    bears: list[str]
    bears_who: str
    likelihood: int | None
    likelihood_text: str
    impact: int | None
    impact_text: str
    score: int | None
    status: str
    status_label: str
    reason: str
    mitigation: str
    owner: str
    people_hidden: bool
    review: dt.date | None
    days_overdue: int | None
    citation: str | None
    quote: str | None
    origin: str
    live: bool

    @property
    def card_anchor(self) -> str:
        """The id of the risk's card among the risks to review."""
        return self.anchor.replace("risk-", "proposal-", 1)

    @property
    def page_anchor(self) -> str:
        """Where the risk is on the register page: its card while proposed, else its row."""
        return self.card_anchor if self.status == "proposed" else self.anchor


def describe(
    line: Line, catalogue: Catalogue, *, show_people: bool, today: dt.date | None = None
) -> RiskView:
    entry = line.entry
    risk = entry.risk
    challenge = _one_line(risk.challenge)
    quote = _one_line(entry.source.quote) if entry.source and entry.source.quote else None
    # A seeded risk is titled by the catalogue's plain words while its text is still the paper's
    # (or the catalogue's); once the team rewrites it, the team's words are its title.
    untouched = entry.label is not None and challenge in (quote, _one_line(entry.label))
    title = entry.label if untouched and entry.label else challenge
    stage = risk.stage.value if risk.stage is not None else "whole"
    hidden = not show_people and bool(risk.owner or risk.bears_who)
    today = today or timezone.localdate()
    pk = line.row.pk if line.row is not None else None
    return RiskView(
        pk=pk,
        anchor=f"risk-{pk}" if pk is not None else f"proposed-{stage}-{risk.catalogue_id}",
        title=title,
        challenge=challenge,
        show_challenge=challenge not in (title, quote),
        help=_one_line(entry.help) or None,
        stage=stage_label(catalogue, risk.stage),
        cost_types=cost_type_names(catalogue, risk.cost_types),
        bears=bearer_names(catalogue, risk.bears),
        bears_who=(risk.bears_who or "") if show_people else "",
        likelihood=risk.likelihood,
        likelihood_text=likelihood_text(risk.likelihood),
        impact=risk.impact,
        impact_text=impact_text(risk.impact),
        score=entry.score,
        status=risk.status,
        status_label=status_label(risk.status),
        reason=risk.reason or "",
        mitigation=risk.mitigation or "",
        owner=(risk.owner or "") if show_people else "",
        people_hidden=hidden,
        review=risk.review,
        days_overdue=(today - risk.review).days if risk.review else None,
        citation=catalogue.cite(entry.source) if entry.source else None,
        quote=quote,
        origin=entry.origin,
        live=entry.live,
    )


def describe_all(
    lines: Iterable[Line], catalogue: Catalogue, *, show_people: bool, today: dt.date | None = None
) -> list[RiskView]:
    return [describe(line, catalogue, show_people=show_people, today=today) for line in lines]


@dataclass(frozen=True)
class HeatRow:
    likelihood: int
    words: str
    counts: list[int]


def heat_rows(counts: Sequence[Sequence[int]]) -> list[HeatRow]:
    """The core's counts as table rows: most likely at the top, impact across."""
    return [
        HeatRow(
            likelihood=value,
            words=LIKELIHOOD_WORDS[value],
            counts=list(counts[value - 1]),
        )
        for value in reversed(SCALE)
    ]


def impact_columns() -> list[tuple[int, str]]:
    return [(value, IMPACT_WORDS[value]) for value in SCALE]


# --- History --------------------------------------------------------------------------------

HISTORY_FIELDS: tuple[tuple[str, Any], ...] = (
    ("status", gettext_lazy("Status")),
    ("challenge", gettext_lazy("The risk")),
    ("stage", gettext_lazy("Stage")),
    ("cost_types", gettext_lazy("Cost types")),
    ("bears", gettext_lazy("Who bears it")),
    ("bears_who", gettext_lazy("Which person or group")),
    ("likelihood", gettext_lazy("Likelihood")),
    ("impact", gettext_lazy("Impact")),
    ("mitigation", gettext_lazy("Mitigation")),
    ("owner", gettext_lazy("Owner")),
    ("reason", gettext_lazy("Reason")),
    ("review", gettext_lazy("Next review")),
)
PEOPLE_FIELDS = {"owner", "bears_who"}


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryItem:
    when: dt.datetime
    who: str
    what: str
    changes: list[FieldChange]


def _value_text(catalogue: Catalogue, name: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return ""
    if name == "stage":
        return stage_label(catalogue, value)
    if name == "cost_types":
        return ", ".join(cost_type_names(catalogue, value))
    if name == "bears":
        return ", ".join(bearer_names(catalogue, value))
    if name == "likelihood":
        return likelihood_text(value)
    if name == "impact":
        return impact_text(value)
    if name == "status":
        return status_label(value)
    if isinstance(value, dt.date):
        return formats.date_format(value, "DATE_FORMAT")
    return _one_line(str(value))


def history_items(
    records: Sequence[Any], catalogue: Catalogue, *, show_people: bool
) -> list[HistoryItem]:
    """Each saved version of a risk beside the one before it, newest first, in plain words."""
    items: list[HistoryItem] = []
    previous: Mapping[str, Any] | None = None
    for record in records:
        values = {name: getattr(record, name) for name, _label in HISTORY_FIELDS}
        kind = record.history_type
        changes = []
        for name, label in HISTORY_FIELDS:
            before = previous.get(name) if previous is not None and kind != "+" else None
            after = values[name] if kind != "-" else None
            if kind == "-":
                before = values[name]
            if _value_text(catalogue, name, before) == _value_text(catalogue, name, after):
                continue
            if name in PEOPLE_FIELDS and not show_people:
                hidden = str(HIDDEN)
                changes.append(
                    FieldChange(str(label), hidden if before else "", hidden if after else "")
                )
                continue
            changes.append(
                FieldChange(
                    str(label),
                    _value_text(catalogue, name, before),
                    _value_text(catalogue, name, after),
                )
            )
        previous = values
        if kind == "~" and not changes:
            continue  # saved again with nothing changed
        what = {
            "+": _("Added to the register"),
            "-": _("Removed from the register"),
        }.get(kind, _("Changed"))
        if kind == "+" and values["status"] == "proposed":
            what = _("Added for review, as Coprod proposes it from the paper")
        user = record.history_user
        items.append(
            HistoryItem(
                when=record.history_date,
                who=str(user) if user is not None else _("Not recorded"),
                what=what,
                changes=changes,
            )
        )
    items.reverse()
    return items
