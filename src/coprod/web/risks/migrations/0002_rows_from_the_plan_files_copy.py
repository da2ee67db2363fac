"""Move the risks a project kept as the plan file's copy (``Project.plan_risks``) into rows.

Before the register had its own rows, an imported plan's risks were kept as JSON on the project.
Each becomes a row here, with a history entry saying where it came from, so that nothing is lost
when that copy goes. A project that already has rows is left alone. Where the copy is already gone
(the projects app has removed ``plan_risks``), there is nothing to move.
"""

from django.db import migrations
from django.utils import timezone

MOVED = "Moved from the plan file's copy of the risks"


def _text(value):
    return " ".join(str(value).split()) if value is not None else ""


def rows_from_plan_risks(apps, schema_editor):
    project_model = apps.get_model("projects", "Project")
    if "plan_risks" not in {field.name for field in project_model._meta.get_fields()}:
        return
    risk_model = apps.get_model("risks", "ProjectRisk")
    history_model = apps.get_model("risks", "HistoricalProjectRisk")
    now = timezone.now()
    for project in project_model.objects.exclude(plan_risks=[]).iterator():
        if risk_model.objects.filter(project=project).exists():
            continue
        for position, item in enumerate(project.plan_risks or []):
            row = risk_model.objects.create(
                project=project,
                position=position,
                stage=item.get("stage") or "",
                challenge=str(item.get("challenge") or "").strip(),
                cost_types=list(item.get("cost_types") or []),
                bears=list(item.get("bears") or []),
                bears_who=_text(item.get("bears_who")),
                likelihood=item.get("likelihood"),
                impact=item.get("impact"),
                mitigation=str(item.get("mitigation") or "").strip(),
                owner=_text(item.get("owner")),
                status=item.get("status") or "open",
                reason=str(item.get("reason") or "").strip(),
                review=item.get("review") or None,
                catalogue_id=item.get("catalogue_id") or "",
            )
            history_model.objects.create(
                id=row.pk,
                project_id=project.pk,
                position=row.position,
                stage=row.stage,
                challenge=row.challenge,
                cost_types=row.cost_types,
                bears=row.bears,
                bears_who=row.bears_who,
                likelihood=row.likelihood,
                impact=row.impact,
                mitigation=row.mitigation,
                owner=row.owner,
                status=row.status,
                reason=row.reason,
                review=row.review,
                catalogue_id=row.catalogue_id,
                created_at=row.created_at,
                updated_at=row.updated_at,
                history_date=now,
                history_type="+",
                history_change_reason=MOVED,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("risks", "0001_initial"),
        ("projects", "0002_project_version"),
    ]

    operations = [migrations.RunPython(rows_from_plan_risks, migrations.RunPython.noop)]
