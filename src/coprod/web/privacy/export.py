"""Everything Coprod holds about a person, as a ZIP: one JSON file, a CSV per table, a README.

The tables and their columns are described once, in :data:`TABLES`; the README is written from
those descriptions, so that what the files hold and what the README says cannot drift apart.
Dates and times are ISO 8601; money is a decimal number written as text ("12.50"), never a
float; identifiers are those of Coprod's vocabulary (SPEC §4), explained in the README.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import textwrap
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coprod.formats.safe_export import table_csv

FORMAT = "coprod-personal-data"
VERSION = 1
JSON_NAME = "my-data.json"
README_NAME = "README.txt"


@dataclass(frozen=True)
class Table:
    key: str
    title: Any
    about: Any
    columns: tuple[tuple[str, Any], ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(key for key, _about in self.columns)


_PROJECT = ("project", gettext_lazy("the project's title"))

TABLES: tuple[Table, ...] = (
    Table(
        "account",
        gettext_lazy("Your account"),
        gettext_lazy("The account you sign in with. Your password is never stored as text."),
        (
            ("username", gettext_lazy("the name you sign in with")),
            ("display_name", gettext_lazy("the name Coprod shows to others")),
            ("first_name", gettext_lazy("your first name")),
            ("last_name", gettext_lazy("your last name")),
            ("email", gettext_lazy("your e-mail address")),
            ("joined", gettext_lazy("when the account was made")),
            ("last_signed_in", gettext_lazy("when you last signed in")),
            ("active", gettext_lazy("whether you can still sign in (true or false)")),
        ),
    ),
    Table(
        "memberships",
        gettext_lazy("Your projects"),
        gettext_lazy("Each project you belong to, and your role in it."),
        (
            _PROJECT,
            ("role", gettext_lazy("lead, researcher, partner or observer")),
            ("since", gettext_lazy("when you joined")),
        ),
    ),
    Table(
        "invitations",
        gettext_lazy("Invitations"),
        gettext_lazy("Invitations to join a project sent to your e-mail address."),
        (
            _PROJECT,
            ("email", gettext_lazy("the address it was sent to")),
            ("role", gettext_lazy("the role offered")),
            ("sent", gettext_lazy("when it was sent")),
            ("accepted", gettext_lazy("when it was accepted, if it was")),
        ),
    ),
    Table(
        "roster_entries",
        gettext_lazy("You on a project's list of people"),
        gettext_lazy(
            "What a project's team wrote down about you as one of the people involved, including "
            "what you agreed to and, if you agreed to record them, your gender and ethnicity."
        ),
        (
            _PROJECT,
            ("name", gettext_lazy("your name on the list")),
            ("group", gettext_lazy("the group you belong to, such as patients_public")),
            ("organisation", gettext_lazy("your organisation")),
            ("role", gettext_lazy("your role in the project")),
            ("brings", gettext_lazy("what you bring to the project")),
            ("stages", gettext_lazy("the stages of the research you take part in")),
            ("email", gettext_lazy("your e-mail address")),
            ("phone", gettext_lazy("your telephone number")),
            ("contact_consent", gettext_lazy("whether you agreed to be contacted")),
            ("aliases", gettext_lazy("other names you go by, such as in meeting notes")),
            ("access_needs", gettext_lazy("what helps you take part")),
            (
                "demographics_consent",
                gettext_lazy("whether you agreed to record your gender and ethnicity"),
            ),
            ("gender", gettext_lazy("your gender, in your words")),
            ("ethnicity", gettext_lazy("your ethnicity, in your words")),
            ("joined", gettext_lazy("when you joined the project")),
        ),
    ),
    Table(
        "team_entries",
        gettext_lazy("You in a project's costs"),
        gettext_lazy("How you appear where the time and money spent on involvement is recorded."),
        (
            _PROJECT,
            ("name", gettext_lazy("your name there")),
            ("role", gettext_lazy("your role")),
            ("career_stage", gettext_lazy("your career stage, if recorded")),
            ("contract", gettext_lazy("your kind of contract, if recorded")),
            (
                "demographics_consent",
                gettext_lazy("whether you agreed to record your gender and ethnicity"),
            ),
            ("gender", gettext_lazy("your gender, in your words")),
            ("ethnicity", gettext_lazy("your ethnicity, in your words")),
            ("receives_benefits", gettext_lazy("whether you receive welfare benefits")),
        ),
    ),
    Table(
        "time_logs",
        gettext_lazy("Your time"),
        gettext_lazy("Time you gave to the project, as recorded."),
        (
            _PROJECT,
            ("date", gettext_lazy("the day")),
            ("activity", gettext_lazy("what you did")),
            ("hours", gettext_lazy("how many hours")),
            ("role", gettext_lazy("in what role")),
            ("kind", gettext_lazy("the kind of cost it counts as")),
        ),
    ),
    Table(
        "expenses",
        gettext_lazy("Your expenses"),
        gettext_lazy("Money you spent for the project, as recorded."),
        (
            _PROJECT,
            ("date", gettext_lazy("the day")),
            ("description", gettext_lazy("what it was for")),
            ("amount", gettext_lazy("how much, as a decimal number")),
            ("currency", gettext_lazy("the currency, such as GBP")),
            ("kind", gettext_lazy("the kind of cost it counts as")),
        ),
    ),
    Table(
        "payments",
        gettext_lazy("Payments to you"),
        gettext_lazy("Payments offered to you for taking part."),
        (
            _PROJECT,
            ("activity", gettext_lazy("what it was for")),
            ("activity_date", gettext_lazy("the day of the activity")),
            ("offered", gettext_lazy("cash, voucher, or declined")),
            ("amount", gettext_lazy("how much, as a decimal number")),
            ("currency", gettext_lazy("the currency, such as GBP")),
            ("paid_on", gettext_lazy("when it was paid, if it was")),
        ),
    ),
    Table(
        "attendance",
        gettext_lazy("Meetings and activities you attended"),
        gettext_lazy("Each meeting, workshop or review you were recorded at."),
        (
            _PROJECT,
            ("activity", gettext_lazy("its title")),
            ("kind", gettext_lazy("meeting, workshop, document_review and so on")),
            ("date", gettext_lazy("the day")),
            ("stage", gettext_lazy("the stage of the research")),
            ("hours", gettext_lazy("how long you were there, if recorded")),
        ),
    ),
    Table(
        "contributions",
        gettext_lazy("What you contributed"),
        gettext_lazy(
            "Ideas, questions, concerns and other input recorded from you, including anything you "
            "gave anonymously (only you can see that it was yours), and what became of it."
        ),
        (
            _PROJECT,
            ("made_on", gettext_lazy("the day")),
            ("made_as", gettext_lazy("you, anonymous (by you), or for a group (by you)")),
            ("group", gettext_lazy("the group it counts for")),
            ("activity", gettext_lazy("the meeting or activity, if any")),
            ("stage", gettext_lazy("the stage of the research")),
            ("kind", gettext_lazy("idea, question, concern, evidence and so on")),
            ("text", gettext_lazy("what you said")),
            ("disposition", gettext_lazy("what became of it: adopted, adapted, declined, ...")),
            ("reason", gettext_lazy("why")),
            ("changed", gettext_lazy("the decision or output it changed")),
            ("decided_on", gettext_lazy("when it was decided")),
            ("told_on", gettext_lazy("when you were told")),
        ),
    ),
    Table(
        "decisions",
        gettext_lazy("Decisions you took part in"),
        gettext_lazy(
            "Each decision you were recorded as taking part in. Other people are counted, never "
            "named."
        ),
        (
            _PROJECT,
            ("decided_on", gettext_lazy("the day")),
            ("what", gettext_lazy("what was decided")),
            ("method", gettext_lazy("how: consensus, vote, lead_decides or steering_group")),
            ("you_disagreed", gettext_lazy("whether you were recorded as disagreeing")),
            ("people_taking_part", gettext_lazy("how many people on the list took part")),
            ("votes_for", gettext_lazy("votes for, if there was a vote")),
            ("votes_against", gettext_lazy("votes against")),
            ("abstentions", gettext_lazy("abstentions")),
        ),
    ),
    Table(
        "terms_of_reference",
        gettext_lazy("Your terms of reference"),
        gettext_lazy("Your role agreement with a project."),
        (
            _PROJECT,
            ("role", gettext_lazy("your role")),
            ("time", gettext_lazy("the time asked of you")),
            ("payment", gettext_lazy("payment and expenses")),
            ("feedback", gettext_lazy("how you hear what became of your input")),
            ("recognition", gettext_lazy("how your work is recognised")),
            ("disagreements", gettext_lazy("how disagreements are settled")),
            ("leaving", gettext_lazy("how to leave")),
            ("agreed_on", gettext_lazy("when it was agreed")),
            ("review_on", gettext_lazy("when it is to be reviewed")),
        ),
    ),
    Table(
        "erasure_requests",
        gettext_lazy("Your requests to be erased"),
        gettext_lazy("Requests you made to have your personal data erased."),
        (
            ("project", gettext_lazy("the project, or empty for your account alone")),
            ("whole_account", gettext_lazy("whether you asked for your whole account")),
            ("asked_on", gettext_lazy("when you asked")),
            ("erased_on", gettext_lazy("when it was done, if it was")),
        ),
    ),
)
TABLE_KEYS = tuple(table.key for table in TABLES)

Rows = Mapping[str, Sequence[Mapping[str, Any]]]


def json_value(value: Any) -> Any:
    """A value as JSON holds it: ISO dates, Decimal money as text, lists kept."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    return value


def _csv_cell(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return "; ".join(str(item) for item in value)
    return value


def _readme(*, who: str, generated: dt.datetime, tables: Rows) -> str:
    intro = _(
        "This is everything Coprod holds about %(who)s, as it was on %(when)s.\n\n"
        "There are two copies of the same information:\n"
        "- %(json)s holds it all in one file, for a computer to read.\n"
        "- Each .csv file holds one table. A spreadsheet such as Excel or LibreOffice opens it.\n\n"
        "Dates are written year-month-day (2026-03-31). Amounts of money are decimal numbers. "
        "Words such as patients_public or adopted are Coprod's names for groups and outcomes; "
        "they never change.\n\n"
        "Other people's personal data is left out: where others took part in something with "
        "you, they are counted, not named.\n\n"
        "If something here is wrong, ask the lead of the project to correct it. You can also ask "
        "to be erased from the page 'Your data' in Coprod."
    ) % {"who": who, "when": generated.strftime("%Y-%m-%d %H:%M UTC"), "json": JSON_NAME}
    parts = [intro]
    for table in TABLES:
        count = len(tables.get(table.key, ()))
        lines = [
            "",
            f"{table.key}.csv — {table.title} ({count})",
            textwrap.fill(str(table.about), width=78),
        ]
        lines += [f"  {key}: {about}" for key, about in table.columns]
        parts.append("\n".join(lines))
    return "\n".join(parts) + "\n"


def person_zip(*, who: str, tables: Rows, generated: dt.datetime) -> bytes:
    """The ZIP a person downloads: ``tables`` maps each key of :data:`TABLES` to its rows."""
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "generated_at": generated.isoformat(),
    }
    for table in TABLES:
        document[table.key] = [
            {key: json_value(row.get(key)) for key in table.keys}
            for row in tables.get(table.key, ())
        ]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(README_NAME, _readme(who=who, generated=generated, tables=tables))
        archive.writestr(JSON_NAME, json.dumps(document, ensure_ascii=False, indent=2) + "\n")
        for table in TABLES:
            rows = tables.get(table.key, ())
            body = table_csv(
                table.keys, ([_csv_cell(row.get(key)) for key in table.keys] for row in rows)
            )
            archive.writestr(f"{table.key}.csv", body)
    return out.getvalue()
