"""Plain words for partners on the pages of the roster, ledger and decisions: no identifiers, and
no statistics without saying what they mean."""

from __future__ import annotations

import html as html_lib
import re
from typing import Any

import pytest
from django.urls import reverse

from coprod.web.projects.demo import demo_load
from coprod.web.projects.models import Project
from tests.web.conftest import Team


def visible_text(html: str) -> str:
    """The page's main text as a reader sees it at first: folded <details> left out."""
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    main = re.sub(r"<details.*?</details>", " ", main, flags=re.S)
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", main)))


@pytest.mark.django_db
def test_the_partner_view_says_how_decisions_are_taken_in_words(team: Team) -> None:
    project = team.project
    assert project.decision_rule == "lead_decides"  # the falls plan's rule
    page = team.client_for("partner").get(reverse("project_partner_view", args=[project.pk]))
    text = visible_text(page.content.decode())
    assert "How decisions are taken:" in text
    assert "lead_decides" not in text
    assert "How decisions are taken: The project lead decides" in text


@pytest.mark.django_db
def test_a_p_value_shown_to_a_partner_is_explained_where_it_is_shown(client: Any) -> None:
    demo_load()
    project = Project.objects.get(title__startswith="Steady Steps")
    from coprod.web.accounts.models import User

    client.force_login(User.objects.get(username="partner"))
    html = client.get(reverse("contribution_list", args=[project.pk])).content.decode()
    assert "data-p>" in html  # the demo's groups are tested, and the p-value shown
    text = visible_text(html)
    assert "p-value" in text
    # Not only in a folded "how it is counted": beside the figures, in plain words.
    assert re.search(r"The p-value is the chance", text), text[-1500:]


@pytest.mark.django_db
def test_kept_speaker_names_list_when_whoever_confirmed_one_is_gone(team: Team) -> None:
    from coprod.core.speaker_matching import normalise_name
    from coprod.web.participation.models import SpeakerName

    project = team.project
    SpeakerName.objects.create(
        project=project, key=normalise_name("Chair"), transcript_name="Chair", group="researchers"
    )  # confirmed_by is None: the account that confirmed it was erased
    page = team.client_for("lead").get(reverse("participation_speaker_names", args=[project.pk]))
    assert page.status_code == 200
    assert "Chair" in visible_text(page.content.decode())
