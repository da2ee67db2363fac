"""Activities of a project and who attended them (SPEC C5).

The roster itself is :class:`coprod.web.projects.models.Stakeholder` (the plan's people). An
activity is a meeting, workshop, review or interview at a stage of the research, with the method
it used from the catalogue. Attendance feeds the costs records (time logs) of people who are also
on the costs team (see ``services``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coprod.web.projects.models import STAGE_CHOICES, Project, Stakeholder


class ActivityKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    WORKSHOP = "workshop", _("Workshop")
    DOCUMENT_REVIEW = "document_review", _("Document review")
    INTERVIEW = "interview", _("Interview")
    FOCUS_GROUP = "focus_group", _("Focus group")
    SURVEY = "survey", _("Survey")
    EVENT = "event", _("Event")
    OTHER = "other", _("Other")


class Activity(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    stage = models.CharField(_("stage"), max_length=20, choices=STAGE_CHOICES, blank=True)
    method = models.CharField(
        _("involvement method"),
        max_length=80,
        blank=True,
        help_text=_("A method from Coprod's catalogue, such as an advisory group or a workshop."),
    )
    duration_hours = models.DecimalField(
        _("how long (hours)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(24)],
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_hours__isnull=True)
                | (Q(duration_hours__gte=0) & Q(duration_hours__lte=24)),
                name="activity_duration_in_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.date})"


class TimeLogOrigin(models.TextChoices):
    MADE = "made", _("Made from the attendance")
    MATCHED = "matched", _("Already logged by the team")


class Attendance(models.Model):
    """A roster person at an activity, and for how long if it differs from the activity's length.

    ``time_log`` is the costs record this attendance made, if the person is on the costs team.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="attendances")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendance")
    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("person")
    )
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(24)],
    )
    time_log = models.OneToOneField(
        "costs.TimeLog",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attendance",
    )
    time_log_origin = models.CharField(
        _("where the time log came from"),
        max_length=10,
        choices=TimeLogOrigin.choices,
        blank=True,
        help_text=_(
            "Made by this attendance (changed and removed with it), or a time log the team had "
            "already kept for this activity (left as it is)."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["activity", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "stakeholder"], name="one_attendance_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stakeholder} at {self.activity}"


class RosterUpload(models.Model):
    """A spreadsheet being imported into the roster, kept on the server between the steps.

    The browser holds only a random token (in its session); the file never goes back to it. An
    upload is deleted once imported or cancelled, and any left older than a day is deleted when
    someone next uploads. It keeps no history: it is not part of the project, and holds personal
    data that must not outlive the import.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True)
    filename = models.CharField(max_length=255)
    data = models.BinaryField()
    sheet = models.CharField(max_length=255, blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.filename
