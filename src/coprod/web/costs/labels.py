"""Words for the core's cost vocabularies, marked for translation.

The identifiers come from the core (:mod:`coprod.core.costs`, :mod:`coprod.core.ids`); only the
words shown to people live here. ``check_labels`` proves at start-up that every identifier has
a label.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from coprod.core.costs import (
    CAREER_STAGES,
    CONTRACTS,
    KINDS,
    NOT_RECORDED,
    OTHER_GROUP,
    PAYMENT_OFFERS,
)
from coprod.core.ids import CostUnit

KIND_LABELS: dict[str, Any] = {
    "contributor_payment": _("Payments to public contributors"),
    "staff_time": _("Staff time"),
    "travel_venue": _("Travel and venues"),
    "access": _("Access needs (carers, interpreters, accessible formats)"),
    "administration": _("Administration"),
    "facilitation_training": _("Facilitation and training"),
    "other": _("Other"),
}

CAREER_STAGE_LABELS: dict[str, Any] = {
    "doctoral": _("Doctoral"),
    "early_career": _("Early career"),
    "mid_career": _("Mid-career"),
    "senior": _("Senior"),
}

CONTRACT_LABELS: dict[str, Any] = {
    "permanent": _("Permanent"),
    "fixed_term": _("Fixed-term"),
    "casual": _("Casual"),
}

OFFER_LABELS: dict[str, Any] = {
    "cash": _("Cash"),
    "voucher": _("Voucher"),
    "declined": _("Declined"),
}

UNIT_LABELS: dict[str, Any] = {
    CostUnit.HOUR.value: _("hour"),
    CostUnit.SESSION.value: _("session"),
    CostUnit.DAY.value: _("day"),
    CostUnit.ITEM.value: _("item"),
}

# Labels of the burden groups that are not a person's own words.
GROUP_LABELS: dict[str, Any] = {
    **CAREER_STAGE_LABELS,
    **CONTRACT_LABELS,
    OTHER_GROUP: _("Other or not shown"),
    NOT_RECORDED: _("Not recorded"),
}

ATTRIBUTE_LABELS: dict[str, Any] = {
    "career_stage": _("career stage"),
    "contract": _("contract"),
    "gender": _("gender"),
    "ethnicity": _("ethnicity"),
}

KIND_CHOICES = [(kind, KIND_LABELS[kind]) for kind in KINDS]
CAREER_STAGE_CHOICES = [(stage, CAREER_STAGE_LABELS[stage]) for stage in CAREER_STAGES]
CONTRACT_CHOICES = [(contract, CONTRACT_LABELS[contract]) for contract in CONTRACTS]
OFFER_CHOICES = [(offer, OFFER_LABELS[offer]) for offer in PAYMENT_OFFERS]
UNIT_CHOICES = [(unit.value, UNIT_LABELS[unit.value]) for unit in CostUnit]


def group_label(share: Any) -> Any:
    """A burden group's label: ours for the closed vocabularies, the person's own words else."""
    return GROUP_LABELS.get(share.key, share.label)


def check_labels() -> None:
    """Every identifier of the core has a label here (run when the app starts)."""
    pairs = (
        (KIND_LABELS, KINDS),
        (CAREER_STAGE_LABELS, CAREER_STAGES),
        (CONTRACT_LABELS, CONTRACTS),
        (OFFER_LABELS, PAYMENT_OFFERS),
        (UNIT_LABELS, tuple(unit.value for unit in CostUnit)),
    )
    for labels, ids in pairs:
        if set(labels) != set(ids):
            raise RuntimeError(f"cost labels out of step with the core: {sorted(labels)} {ids}")
