"""Demo rows for a person's own data: someone who left the project and asked to be erased.

Call :func:`demo_privacy` after the roster and ledger demo rows exist. It adds a roster person
with a contribution and an attendance-free history, then erases them as a lead would after a
request by telephone, so the demo shows an erasure done and an anonymous contribution that still
counts for its group.
"""

from __future__ import annotations

import datetime as dt

from coprod.core.ids import Disposition, Group
from coprod.web.accounts.models import User
from coprod.web.ledger.models import Contribution
from coprod.web.privacy.models import ErasureRequest
from coprod.web.privacy.services import stakeholder_erase
from coprod.web.projects.models import Project, Stakeholder


def demo_privacy(project: Project, *, lead: User) -> ErasureRequest:
    person = Stakeholder.objects.create(
        project=project,
        name="Gwen Ellery",
        group=Group.PATIENTS_PUBLIC.value,
        organisation="Steady Steps class, Tuesday group",
        role="Public contributor",
        email="gwen.ellery@example.org",
        contact_consent=True,
        joined=dt.date(2025, 10, 1),
    )
    Contribution.objects.create(
        project=project,
        stakeholder=person,
        group=person.group,
        made_on=dt.date(2025, 11, 12),
        kind="concern",
        text="The class leaflet does not say the hall has no lift.",
        disposition=Disposition.ADOPTED.value,
        reason="Added access details to the leaflet.",
        disposed_on=dt.date(2025, 11, 20),
        told_on=dt.date(2025, 11, 21),
    )
    return stakeholder_erase(stakeholder=person, by=lead)
