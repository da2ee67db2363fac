"""Participation balance (SPEC C8): the figures of each analysed meeting, and the speaker names
a person confirmed.

What is kept of a transcript:

- always: its figures (per person, per group, and the meeting's concentration), and, per
  :class:`Transcript`, each turn's speaker label, times and word count, never its words (the
  core's :func:`coprod.core.participation.discard_text`), so the figures can be worked out again
  when a name is fixed;
- the text itself only when the project asks to keep it
  (``Project.discard_transcript_text`` off). The text is never copied into the history.

The figures are worked out again from the turns whenever the analysis runs, so they keep no
history of their own; :class:`MeetingBalance` records each analysis in its history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coprod.web.people.models import Activity
from coprod.web.projects.models import GROUP_CHOICES, Project, Stakeholder


class SpeakerName(models.Model):
    """A transcript name confirmed by a person: who it is on the roster, or "not on the roster"
    (a facilitator or guest) with their group if known. Applied first at every later meeting."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200, editable=False)  # the name, ignoring case and spacing
    transcript_name = models.CharField(_("name in the transcript"), max_length=200)
    stakeholder = models.ForeignKey(
        Stakeholder,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person on the roster"),
    )
    group = models.CharField(
        _("group, for someone not on the roster"), max_length=20, choices=GROUP_CHOICES, blank=True
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "key"], name="one_answer_per_speaker_name"),
            models.CheckConstraint(
                condition=models.Q(stakeholder__isnull=True) | models.Q(group=""),
                name="speaker_name_group_only_off_roster",
            ),
        ]

    def __str__(self) -> str:
        return self.transcript_name


class MeetingBalance(models.Model):
    """One activity's analysed transcripts: the meeting's own figures."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    activity = models.OneToOneField(
        Activity, on_delete=models.CASCADE, related_name="participation"
    )
    timed = models.BooleanField(default=False)
    words = models.PositiveIntegerField(default=0)
    seconds = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)
    gini = models.DecimalField(max_digits=9, decimal_places=8, null=True, blank=True)
    gini_seconds = models.DecimalField(max_digits=9, decimal_places=8, null=True, blank=True)
    top_share = models.DecimalField(max_digits=9, decimal_places=8, null=True, blank=True)
    top_20_share = models.DecimalField(max_digits=9, decimal_places=8, null=True, blank=True)
    unattributed_turns = models.PositiveIntegerField(default=0)
    unattributed_words = models.PositiveIntegerField(default=0)
    to_confirm = models.PositiveIntegerField(
        default=0, help_text=_("Names in the transcripts still waiting for a person to confirm.")
    )
    text_kept = models.BooleanField(default=False)
    analysed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    analysed_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return str(self.activity_id)


class Transcript(models.Model):
    """One uploaded file of a meeting. ``turns`` holds, per turn, the speaker label, the word
    count and the timed spans (exact fractions as text), never the words; ``text`` is the file's
    text only while the project keeps transcripts."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(
        MeetingBalance, on_delete=models.CASCADE, related_name="transcripts"
    )
    position = models.PositiveSmallIntegerField(default=0)
    filename = models.CharField(_("file"), max_length=255)
    format = models.CharField(_("format"), max_length=20)
    speakers = models.JSONField(default=list)  # the speaker labels, in the order they first spoke
    turns = models.JSONField(default=list)
    text = models.TextField(blank=True)
    data = models.BinaryField(blank=True, null=True)  # a Word file, kept only as ``text`` is
    history = HistoricalRecords(excluded_fields=["turns", "text", "data", "speakers"])

    class Meta:
        ordering = ["meeting", "position", "id"]

    def __str__(self) -> str:
        return self.filename


class SpeakerFigure(models.Model):
    """A person in a meeting: someone who spoke, or a roster person who attended and said
    nothing (``silent``). ``name`` is kept only for people not on the roster; roster people are
    named by their roster entry, so erasing them leaves no name here."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(MeetingBalance, on_delete=models.CASCADE, related_name="speakers")
    position = models.PositiveIntegerField(default=0)
    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200, blank=True)
    group = models.CharField(max_length=20, choices=GROUP_CHOICES, blank=True)
    turns = models.PositiveIntegerField(default=0)
    words = models.PositiveIntegerField(default=0)
    seconds = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)
    share_words = models.DecimalField(max_digits=9, decimal_places=8, null=True, blank=True)
    share_seconds = models.DecimalField(max_digits=9, decimal_places=8, null=True, blank=True)
    silent = models.BooleanField(default=False)
    confirmed = models.BooleanField(
        default=True, help_text=_("False while the name waits for a person to confirm it.")
    )

    class Meta:
        ordering = ["meeting", "position"]


class GroupFigure(models.Model):
    """A stakeholder group in a meeting; ``group`` is blank for people whose group is unknown."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(MeetingBalance, on_delete=models.CASCADE, related_name="groups")
    position = models.PositiveIntegerField(default=0)
    group = models.CharField(max_length=20, choices=GROUP_CHOICES, blank=True)
    people = models.PositiveIntegerField(default=0)
    words = models.PositiveIntegerField(default=0)
    seconds = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)
    share_words = models.DecimalField(max_digits=9, decimal_places=8, null=True, blank=True)
    share_seconds = models.DecimalField(max_digits=9, decimal_places=8, null=True, blank=True)

    class Meta:
        ordering = ["meeting", "position"]
