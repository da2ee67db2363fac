"""The risk register (C3): seeded from Table 1 and the paper's costs, merged with the team's own.

Coprod proposes risks; the team decides. A proposed risk comes from one of two places:

- Table 1, for each stage the plan chose, at the level it chose there (:func:`stage_risks`);
- the costs the paper names for the whole project in "Challenges and costs" (the catalogue's
  ``cost_risks``), once involvement at any planned stage reaches the cost's ``min_level``.

A proposal the team has already taken up (the same ``catalogue_id`` at the same stage, whatever
its status) is not proposed again, so a risk dismissed with a reason stays dismissed. Proposals are
never rated: likelihood and impact are for the team to judge.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from coprod.core.catalogue import Catalogue
from coprod.core.catalogue.model import ChallengeEntry, CostRiskEntry
from coprod.core.ids import Bearer, CostType, Level, Stage, level_rank, stage_rank
from coprod.core.plan import Plan, Risk, RiskStatus
from coprod.core.sources import Source

SCALE = (1, 2, 3, 4, 5)
"""Likelihood and impact are each rated 1 to 5."""

LIKELIHOOD_WORDS: dict[int, str] = {
    1: "Rare",
    2: "Unlikely",
    3: "Possible",
    4: "Likely",
    5: "Almost certain",
}
IMPACT_WORDS: dict[int, str] = {
    1: "Negligible",
    2: "Minor",
    3: "Moderate",
    4: "Major",
    5: "Severe",
}

CLOSED_STATUSES: frozenset[RiskStatus] = frozenset({"closed", "dismissed"})
"""Statuses of risks that no longer count: they stay in the register, out of the heat map."""

TEAMS_OWN = "Your team's own risk"
"""How a risk with no catalogue source is described to the reader."""

Origin = Literal["plan", "seeded"]


@dataclass(frozen=True)
class RegisterEntry:
    """One line of the register: a risk, where it comes from, and whether the plan holds it.

    ``source`` is the catalogue entry's source for a risk seeded from, or linked to, the catalogue,
    and ``None`` for the team's own risk. ``origin`` is ``plan`` for a risk the plan file holds and
    ``seeded`` for one Coprod proposes that the team has not yet taken up.
    """

    risk: Risk
    source: Source | None
    origin: Origin
    label: str | None = None
    help: str | None = None

    @property
    def score(self) -> int | None:
        """Likelihood × impact, or ``None`` until both are rated."""
        return self.risk.score

    @property
    def live(self) -> bool:
        """Not closed or dismissed."""
        return self.risk.status not in CLOSED_STATUSES

    @property
    def rated(self) -> bool:
        return self.score is not None

    @property
    def key(self) -> tuple[str | None, Stage | None]:
        """What makes a seeded risk the same risk: its catalogue entry and its stage."""
        return self.risk.catalogue_id, self.risk.stage


def stage_risks(
    plan: Plan, catalogue: Catalogue, stage: Stage, level: Level
) -> list[ChallengeEntry]:
    """Table 1's challenges that involvement at ``level`` brings at ``stage`` for this plan.

    A challenge that arises only where participant data identify people is left out when the plan
    says its data do not identify anyone; when the plan says nothing about its data, it stays in.
    """
    ethics = plan.ethics
    no_identifying_data = ethics is not None and not ethics.identifiable_data
    return [
        challenge
        for challenge in catalogue.challenges_at(stage, level)
        if not (challenge.needs_identifying_data and no_identifying_data)
    ]


def _in_order(values: Iterable[CostType]) -> list[CostType]:
    found = set(values)
    return [member for member in CostType if member in found]


def _bearers_in_order(values: Iterable[Bearer]) -> list[Bearer]:
    found = set(values)
    return [member for member in Bearer if member in found]


def _challenge_risk(stage: Stage, challenge: ChallengeEntry) -> Risk:
    return Risk(
        stage=stage,
        challenge=" ".join((challenge.source.quote or challenge.label).split()),
        cost_types=_in_order(t for cost in challenge.costs for t in cost.cost_types),
        bears=_bearers_in_order(b for cost in challenge.costs for b in cost.bears),
        status="proposed",
        catalogue_id=challenge.id,
    )


def _cost_risk(entry: CostRiskEntry) -> Risk:
    # The quote of a project-wide cost is often part of a sentence, so the register states the
    # risk in Coprod's plain words and shows the paper's words as its source.
    return Risk(
        stage=None,
        challenge=entry.label,
        cost_types=[entry.cost_type],
        bears=_bearers_in_order(entry.bears),
        status="proposed",
        catalogue_id=entry.id,
    )


def project_cost_risks(plan: Plan, catalogue: Catalogue) -> list[CostRiskEntry]:
    """The paper's project-wide costs that the plan's deepest involvement reaches."""
    ranks = [level_rank(stage_plan.level) for stage_plan in plan.stages.values()]
    deepest = max(ranks, default=-1)
    return [
        entry for entry in catalogue.cost_risks.values() if level_rank(entry.min_level) <= deepest
    ]


def risk_seed(plan: Plan, catalogue: Catalogue) -> list[Risk]:
    """Proposed risks for the stages and levels the plan chose, then the project-wide costs."""
    seeded = [
        _challenge_risk(stage, challenge)
        for stage, stage_plan in plan.stages.items()
        for challenge in stage_risks(plan, catalogue, stage, stage_plan.level)
    ]
    seeded += [_cost_risk(entry) for entry in project_cost_risks(plan, catalogue)]
    return seeded


def catalogue_entry(
    catalogue: Catalogue, catalogue_id: str | None
) -> ChallengeEntry | CostRiskEntry | None:
    """The Table 1 challenge or project-wide cost an id names, if it names one."""
    if catalogue_id is None:
        return None
    return catalogue.challenges.get(catalogue_id) or catalogue.cost_risks.get(catalogue_id)


def _entry(risk: Risk, catalogue: Catalogue, origin: Origin) -> RegisterEntry:
    found = catalogue_entry(catalogue, risk.catalogue_id)
    if found is None:
        return RegisterEntry(risk=risk, source=None, origin=origin)
    return RegisterEntry(
        risk=risk, source=found.source, origin=origin, label=found.label, help=found.help
    )


def _sort_key(indexed: tuple[int, RegisterEntry]) -> tuple[int, int, int, int]:
    index, entry = indexed
    score = entry.score
    stage = entry.risk.stage
    return (
        score is None,
        -(score or 0),
        stage_rank(stage) if stage is not None else len(Stage),
        index,
    )


def sort_register(entries: Iterable[RegisterEntry]) -> list[RegisterEntry]:
    """Highest score first, unrated after; then in stage order, project-wide risks last."""
    return [entry for _, entry in sorted(enumerate(entries), key=_sort_key)]


def risk_register(plan: Plan, catalogue: Catalogue) -> list[RegisterEntry]:
    """The plan's own risks as the team wrote them, with the proposals it has not yet taken up."""
    own = [_entry(risk, catalogue, "plan") for risk in plan.risks]
    taken = {entry.key for entry in own if entry.risk.catalogue_id is not None}
    proposed = [
        entry
        for entry in (_entry(risk, catalogue, "seeded") for risk in risk_seed(plan, catalogue))
        if entry.key not in taken
    ]
    return sort_register([*own, *proposed])


def heat_map(entries: Iterable[RegisterEntry]) -> list[list[int]]:
    """Counts of live, rated risks: ``counts[likelihood - 1][impact - 1]``."""
    counts = [[0 for _ in SCALE] for _ in SCALE]
    for entry in entries:
        risk = entry.risk
        if entry.live and risk.likelihood is not None and risk.impact is not None:
            counts[risk.likelihood - 1][risk.impact - 1] += 1
    return counts


def reviews_due(entries: Sequence[RegisterEntry], today: dt.date) -> list[RegisterEntry]:
    """Live risks whose review date is today or past, the most overdue first.

    "Live" is every status but closed and dismissed: a mitigated or accepted risk keeps its review
    date, since the point of reviewing it is to check that it stays so.
    """
    due = [
        entry
        for entry in entries
        if entry.live and entry.risk.review is not None and entry.risk.review <= today
    ]
    return sorted(due, key=lambda entry: entry.risk.review or today)
