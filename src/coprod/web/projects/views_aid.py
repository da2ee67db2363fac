"""The decision aid as a guided sequence (C1): aims, context, alternatives, stages, review.

The web layer stores the team's answers and asks the core (:func:`coprod.core.assess.assess`) what
they mean; no rule of the decision aid is decided here. Answers save as the user goes: each form
posts itself on ``change`` with htmx, and the view then answers with a short status ("Saved at
14:02", or the problems with links to the fields) rather than the form, so that a keyboard user
keeps their place. Without JavaScript the same forms submit normally (post, then redirect).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from coprod.core.assess import Assessment as AssessmentResult
from coprod.core.assess import assess
from coprod.core.catalogue import Catalogue, default_catalogue
from coprod.core.ids import Criterion, Emphasis, Level, Motivation, Stage
from coprod.core.sources import Source
from coprod.formats.assessment_report import EMPHASIS_WORDS
from coprod.web.projects import selectors, services
from coprod.web.projects.forms_aid import (
    ANSWER_LABELS,
    PULL_LABELS,
    AimForm,
    AlternativeForm,
    AssessmentRecordForm,
    CriteriaForm,
    StageForm,
    is_blank,
    method_label,
)
from coprod.web.projects.models import Aim, AlternativeChoice, Project
from coprod.web.projects.view_helpers import project_for, render_project

STEPS = [
    ("aid_aims", gettext_lazy("Aims")),
    ("aid_context", gettext_lazy("Context")),
    ("aid_alternatives", gettext_lazy("Alternatives")),
    ("aid_stages", gettext_lazy("Stages")),
    ("aid_review", gettext_lazy("Review")),
]
CONTINUE = "continue"


# --- What every step shares -----------------------------------------------------------------------


def _steps(project: Project, current: str) -> list[dict[str, Any]]:
    return [
        {
            "url": reverse(name, args=[project.pk]),
            "label": label,
            "number": index,
            "current": name == current,
        }
        for index, (name, label) in enumerate(STEPS, start=1)
    ]


def _step_page(
    request: HttpRequest,
    project: Project,
    step: str,
    context: dict[str, Any],
    *,
    status: int = 200,
) -> HttpResponse:
    number = next(i for i, (name, _label) in enumerate(STEPS, start=1) if name == step)
    full = {"steps": _steps(project, step), "step_number": number, "step_count": len(STEPS)}
    return render_project(
        request,
        f"projects/aid/{step.removeprefix('aid_')}.html",
        project,
        {**full, **context},
        status=status,
    )


def _status(request: HttpRequest, forms_: Sequence[forms.Form] = ()) -> HttpResponse:
    """The small answer to an htmx save: the time it was saved, or what stopped it.

    htmx does not swap in 4xx answers, so problems come back with status 200; nothing is saved.
    """
    invalid = [f for f in forms_ if f.is_bound and f.errors]
    return render(
        request,
        "projects/aid/_status.html",
        {"saved_at": None if invalid else timezone.localtime(), "invalid_forms": invalid},
    )


def _cite(catalogue: Catalogue, sources: Iterable[Source]) -> list[dict[str, Any]]:
    return [{"citation": catalogue.cite(source), "quote": source.quote} for source in sources]


def _assessed(project: Project) -> tuple[Catalogue, AssessmentResult]:
    catalogue = default_catalogue()
    return catalogue, assess(selectors.project_plan(project=project), catalogue)


def _emphasis_text(value: str) -> str:
    """'Leaning towards less emphasis on coproduction (lean-less)'."""
    try:
        words = EMPHASIS_WORDS[Emphasis(value)]
    except ValueError:
        return value
    return f"{words[:1].upper()}{words[1:]} ({value})"


def _find(rows: Iterable[Any], pk: int) -> Any:
    for row in rows:
        if row.pk == pk:
            return row
    raise Http404


def _weight_text(weight: Decimal | str | None) -> str:
    """'2', '1.5': a weight as a person would write it."""
    if weight is None:
        return "1"
    try:
        value = Decimal(str(weight))
    except InvalidOperation:
        return str(weight)
    return format(value.normalize(), "f")


# --- Aims (the paper's step 1) --------------------------------------------------------------------


def _aim_form(aim: Aim, catalogue: Catalogue, data: Any = None) -> AimForm:
    return AimForm(
        data,
        prefix=f"aim-{aim.pk}",
        catalogue=catalogue,
        initial={"motivation": aim.motivation, "outcome": aim.outcome, "for_whom": aim.for_whom},
    )


def _aims_page(
    request: HttpRequest,
    project: Project,
    *,
    new_form: AimForm | None = None,
    bound: AimForm | None = None,
    bound_aim: int | None = None,
    status: int = 200,
) -> HttpResponse:
    catalogue, result = _assessed(project)
    rows = []
    for number, aim in enumerate(project.aims.all(), start=1):
        form = bound if bound is not None and bound_aim == aim.pk else _aim_form(aim, catalogue)
        form.context_label = _("Aim %(number)s") % {"number": number}  # type: ignore[attr-defined]
        rows.append({"aim": aim, "form": form, "label": _motivation_label(catalogue, aim)})
    warnings = {w.id: w for w in result.warnings}
    prompts = {
        key: {"message": w.message, "sources": _cite(catalogue, w.sources)}
        for key, w in warnings.items()
        if key in ("political-unstated", "no-aims")
    }
    motivations = [
        {
            "entry": entry,
            "sources": _cite(catalogue, [entry.source]),
            "cautions": [
                {"text": c.text, **_cite(catalogue, [c.source])[0]} for c in entry.cautions
            ],
        }
        for entry in catalogue.motivations.values()
    ]
    return _step_page(
        request,
        project,
        "aid_aims",
        {
            "rows": rows,
            "new_form": new_form or AimForm(prefix="new", catalogue=catalogue),
            "motivations": motivations,
            "political": prompts.get("political-unstated"),
            "no_aims": prompts.get("no-aims"),
            "bad_forms": [f for f in (new_form, bound) if f is not None and f.errors],
        },
        status=status,
    )


def _motivation_label(catalogue: Catalogue, row: Aim | AlternativeChoice) -> str:
    return catalogue.motivations[Motivation(row.motivation)].label


@login_required
@require_http_methods(["GET", "POST"])
def aid_aims(request: HttpRequest, pk: int) -> HttpResponse:
    """Why involve people, what must change, and for whom. POST adds an aim."""
    project = project_for(request, pk, "projects.change_plan", with_plan=True)
    if request.method == "GET":
        return _aims_page(request, project)
    form = AimForm(request.POST, prefix="new")
    going_on = request.POST.get("then") == CONTINUE
    if going_on and is_blank(form):
        return redirect("aid_context", project.pk)
    if not form.is_valid():
        if request.htmx:
            return _status(request, [form])
        return _aims_page(request, project, new_form=form, status=400)
    aim = services.aim_create(
        project=project,
        motivation=form.cleaned_data["motivation"],
        outcome=form.cleaned_data["outcome"].strip(),
        for_whom=list(form.cleaned_data["for_whom"]),
    )
    messages.success(request, _("Aim added."))
    if going_on:
        return redirect("aid_context", project.pk)
    return redirect(reverse("aid_aims", args=[project.pk]) + f"#aim-{aim.pk}")


@login_required
@require_POST
def aid_aim_edit(request: HttpRequest, pk: int, aim_id: int) -> HttpResponse:
    """Change one aim (htmx saves as the user goes), or delete it."""
    project = project_for(request, pk, "projects.change_plan", with_plan=True)
    aim = _find(project.aims.all(), aim_id)
    if "delete" in request.POST:
        services.aim_delete(aim=aim)
        messages.success(request, _("Aim deleted."))
        return redirect("aid_aims", project.pk)
    catalogue = default_catalogue()
    form = _aim_form(aim, catalogue, request.POST)
    if not form.is_valid():
        if request.htmx:
            return _status(request, [form])
        return _aims_page(request, project, bound=form, bound_aim=aim.pk, status=400)
    services.aim_update(
        aim=aim,
        motivation=form.cleaned_data["motivation"],
        outcome=form.cleaned_data["outcome"].strip(),
        for_whom=list(form.cleaned_data["for_whom"]),
    )
    if request.htmx:
        return _status(request, [form])
    messages.success(request, _("Aim saved."))
    return redirect(reverse("aid_aims", args=[project.pk]) + f"#aim-{aim.pk}")


# --- Context (Table 2, step 1 continued) ----------------------------------------------------------


def _criteria_initial(project: Project) -> dict[str, Any]:
    initial: dict[str, Any] = {c.value: getattr(project, c.value) for c in Criterion}
    for weight in project.weights.all():
        initial[f"{weight.criterion}_weight"] = _weight_text(weight.weight)
        initial[f"{weight.criterion}_reason"] = weight.reason
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def aid_context(request: HttpRequest, pk: int) -> HttpResponse:
    """The nine criteria of Table 2, each with the paper's two descriptions beside it."""
    project = project_for(request, pk, "projects.change_plan", with_plan=True)
    catalogue = default_catalogue()
    form = CriteriaForm(
        request.POST if request.method == "POST" else None,
        initial=_criteria_initial(project),
        catalogue=catalogue,
    )
    if request.method == "POST":
        if form.is_valid():
            services.criteria_update(
                project=project, answers=form.answers(), weights=form.weights()
            )
            if request.htmx:
                return _status(request, [form])
            messages.success(request, _("Context saved."))
            return redirect("aid_alternatives", project.pk)
        if request.htmx:
            return _status(request, [form])
    rows = [
        {
            "entry": entry,
            "answer": form[entry.id.value],
            "weight": form[f"{entry.id.value}_weight"],
            "reason": form[f"{entry.id.value}_reason"],
            "citation": catalogue.cite(entry.source),
            "weighted": bool(
                form[f"{entry.id.value}_weight"].value() or form[f"{entry.id.value}_reason"].value()
            ),
        }
        for entry in catalogue.criteria.values()
    ]
    return _step_page(
        request,
        project,
        "aid_context",
        {
            "form": form,
            "rows": rows,
            "bad_forms": [form] if form.errors else [],
            "enough_help": catalogue.rules["insufficient-answers"].help,
        },
        status=400 if form.is_bound else 200,
    )


# --- Alternatives (the paper's step 2) ------------------------------------------------------------


def _alternative_form(
    alternative: AlternativeChoice, catalogue: Catalogue, data: Any = None
) -> AlternativeForm:
    return AlternativeForm(
        data,
        prefix=f"alt-{alternative.pk}",
        catalogue=catalogue,
        initial={
            "approach": alternative.approach,
            "chosen": "yes" if alternative.chosen else "no",
            "reason": alternative.reason,
        },
    )


def _alternatives_page(
    request: HttpRequest,
    project: Project,
    *,
    new_form: AlternativeForm | None = None,
    bound: AlternativeForm | None = None,
    bound_id: int | None = None,
    status: int = 200,
) -> HttpResponse:
    catalogue, result = _assessed(project)
    aimed = [finding.motivation for finding in result.alternatives]
    recorded_motivations = {Motivation(a.motivation) for a in project.alternatives.all()}
    shown = [*aimed, *[m for m in Motivation if m in recorded_motivations and m not in aimed]]
    sections = []
    for motivation in shown:
        entry = catalogue.motivations[motivation]
        choices = [
            {
                "row": row,
                "form": bound
                if bound is not None and bound_id == row.pk
                else _alternative_form(row, catalogue),
                "from_list": catalogue.alternatives.get(row.catalogue_id)
                if row.catalogue_id
                else None,
            }
            for row in project.alternatives.all()
            if row.motivation == motivation.value
        ]
        warnings = [
            {"message": w.message, "sources": _cite(catalogue, w.sources)}
            for w in result.warnings
            if w.id == "alternatives-not-considered" and w.subject == motivation.value
        ]
        sections.append(
            {
                "entry": entry,
                "named": motivation in aimed,
                "outcomes": [a.outcome for a in project.aims.all() if a.motivation == motivation],
                "options": [
                    {"entry": alt, "citation": catalogue.cite(alt.source)}
                    for alt in catalogue.alternatives_for(motivation)
                ],
                "cautions": [
                    {"text": c.text, **_cite(catalogue, [c.source])[0]} for c in entry.cautions
                ],
                "choices": choices,
                "warnings": warnings,
            }
        )
    if new_form is None and aimed:
        new_form = AlternativeForm(prefix="new", motivations=aimed, catalogue=catalogue)
    return _step_page(
        request,
        project,
        "aid_alternatives",
        {
            "sections": sections,
            "new_form": new_form,
            "bad_forms": [f for f in (new_form, bound) if f is not None and f.errors],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def aid_alternatives(request: HttpRequest, pk: int) -> HttpResponse:
    """For each aim, other ways to reach it, and what the team chose. POST records one."""
    project = project_for(request, pk, "projects.change_plan", with_plan=True)
    if request.method == "GET":
        return _alternatives_page(request, project)
    catalogue = default_catalogue()
    aimed = selectors.project_plan(project=project).motivations()
    form = AlternativeForm(request.POST, prefix="new", motivations=aimed, catalogue=catalogue)
    going_on = request.POST.get("then") == CONTINUE
    # A single aim is chosen for the user, so it does not count as typing something.
    if going_on and is_blank(form, ignore=("motivation",) if len(aimed) == 1 else ()):
        return redirect("aid_stages", project.pk)
    if not aimed or not form.is_valid():
        if request.htmx:
            return _status(request, [form])
        return _alternatives_page(request, project, new_form=form if aimed else None, status=400)
    services.alternative_create(project=project, **form.values())
    messages.success(request, _("Choice recorded."))
    if going_on:
        return redirect("aid_stages", project.pk)
    return redirect("aid_alternatives", project.pk)


@login_required
@require_POST
def aid_alternative_edit(request: HttpRequest, pk: int, alternative_id: int) -> HttpResponse:
    """Change one recorded choice (htmx saves as the user goes), or delete it."""
    project = project_for(request, pk, "projects.change_plan", with_plan=True)
    alternative = _find(project.alternatives.all(), alternative_id)
    if "delete" in request.POST:
        services.alternative_delete(alternative=alternative)
        messages.success(request, _("Choice deleted."))
        return redirect("aid_alternatives", project.pk)
    form = _alternative_form(alternative, default_catalogue(), request.POST)
    if not form.is_valid():
        if request.htmx:
            return _status(request, [form])
        return _alternatives_page(request, project, bound=form, bound_id=alternative.pk, status=400)
    services.alternative_update(alternative=alternative, **form.values())
    if request.htmx:
        return _status(request, [form])
    messages.success(request, _("Choice saved."))
    return redirect(reverse("aid_alternatives", args=[project.pk]) + f"#alt-{alternative.pk}")


# --- Stages ---------------------------------------------------------------------------------------


def _stage_forms(project: Project, catalogue: Catalogue, data: Any = None) -> list[StageForm]:
    plans = {sp.stage: sp for sp in project.stage_plans.all()}
    result = []
    for stage in Stage:
        current = plans.get(stage.value)
        initial = (
            {
                "level": current.level,
                "groups": current.groups,
                "strategy": current.strategy,
                "methods": current.methods,
            }
            if current
            else {"level": ""}
        )
        result.append(
            StageForm(
                data,
                stage=stage,
                catalogue=catalogue,
                initial=initial,
                current_methods=current.methods if current else [],
            )
        )
    return result


def _risks(catalogue: Catalogue, risks: Iterable[Any]) -> list[dict[str, Any]]:
    return [
        {
            "label": risk.label,
            "help": risk.help,
            "quote": risk.source.quote,
            "citation": catalogue.cite(risk.source),
            "costs": [cost.text for cost in risk.costs],
        }
        for risk in risks
    ]


def _level_label(catalogue: Catalogue, level: Level | None) -> str | None:
    return catalogue.levels[level].label if level is not None else None


def _stage_advice(project: Project) -> dict[Stage, dict[str, Any]]:
    """For each stage, the core's suggested level with its reasons, and Table 1's risks."""
    catalogue, result = _assessed(project)
    return {
        finding.stage: {
            "stage": finding.stage.value,
            "recommended": _level_label(catalogue, finding.recommended_level),
            "chosen": _level_label(catalogue, finding.chosen_level),
            "risks_at": _level_label(catalogue, finding.risks_at),
            "reasons": [
                {"text": r.text, "sources": _cite(catalogue, r.sources)} for r in finding.reasons
            ],
            "note": finding.note.text if finding.note else None,
            "risks": _risks(catalogue, finding.risks),
            "suggested_methods": [
                method_label(catalogue, method_id) for method_id in finding.methods
            ],
            "emphasis": result.emphasis.emphasis,
        }
        for finding in result.stages
    }


@login_required
@require_http_methods(["GET", "POST"])
def aid_stages(request: HttpRequest, pk: int) -> HttpResponse:
    """The involvement planned at each stage, beside Coprod's suggestion and its risks.

    An htmx save answers with the status and, out of band, each stage's refreshed suggestion and
    risks; the form itself is left alone.
    """
    project = project_for(request, pk, "projects.change_plan", with_plan=True)
    catalogue = default_catalogue()
    data = request.POST if request.method == "POST" else None
    stage_forms = _stage_forms(project, catalogue, data)
    if data is not None:
        if all(form.is_valid() for form in stage_forms):
            services.stage_plans_update(
                project=project, stages={form.stage.value: form.plan() for form in stage_forms}
            )
            if request.htmx:
                saved = selectors.project_get(user=request.user, pk=project.pk, with_plan=True)
                response = _status(request, stage_forms)
                advice = render(
                    request,
                    "projects/aid/_stage_advice_oob.html",
                    {"advice": list(_stage_advice(saved).values())},
                )
                response.content += advice.content
                return response
            messages.success(request, _("Stages saved."))
            return redirect("aid_review", project.pk)
        if request.htmx:
            return _status(request, stage_forms)
    advice = _stage_advice(project)
    rows = [
        {
            **advice[form.stage],
            "form": form,
            "entry": catalogue.stages[form.stage],
            "methods_open": bool(form["methods"].value()) or bool(form["methods"].errors),
        }
        for form in stage_forms
    ]
    emphasis = advice[Stage.TEAM]["emphasis"]
    return _step_page(
        request,
        project,
        "aid_stages",
        {
            "rows": rows,
            "emphasis": emphasis.value,
            "emphasis_words": EMPHASIS_WORDS[emphasis],
            "bad_forms": [form for form in stage_forms if form.is_bound and form.errors],
        },
        status=400 if data is not None else 200,
    )


# --- Review ---------------------------------------------------------------------------------------


def _review_context(project: Project) -> dict[str, Any]:
    catalogue, result = _assessed(project)
    emphasis = result.emphasis
    criteria = [
        {
            "label": catalogue.criteria[finding.criterion].label,
            "answer": finding.answer.value,
            "answer_label": ANSWER_LABELS[finding.answer.value],
            "weight": _weight_text(finding.weight),
            "weight_reason": finding.weight_reason,
            "pull": finding.pull,
            "pull_label": PULL_LABELS[finding.pull],
            "reason": finding.reason,
            "citation": catalogue.cite(finding.source),
        }
        for finding in result.criteria
    ]
    stages = [
        {
            "label": catalogue.stages[finding.stage].label,
            "recommended": _level_label(catalogue, finding.recommended_level),
            "chosen": _level_label(catalogue, finding.chosen_level),
            "differs": finding.note is not None,
            "reasons": [
                {"text": r.text, "citation": catalogue.cite(r.sources[0])}
                for r in (*finding.reasons, *([finding.note] if finding.note else []))
            ],
            "risks_at": _level_label(catalogue, finding.risks_at),
            "risks": _risks(catalogue, finding.risks),
        }
        for finding in result.stages
    ]
    alternatives = [
        {
            "label": catalogue.motivations[finding.motivation].label,
            "outcomes": finding.outcomes,
            "recorded": finding.recorded,
            "options": len(finding.options),
        }
        for finding in result.alternatives
    ]
    return {
        "emphasis": emphasis.emphasis.value,
        "emphasis_words": _emphasis_text(emphasis.emphasis.value),
        "emphasis_reason": {
            "text": result.emphasis_reason.text,
            "sources": _cite(catalogue, result.emphasis_reason.sources),
        },
        "insufficient": emphasis.emphasis is Emphasis.INSUFFICIENT,
        "drivers": [catalogue.criteria[p.criterion].label for p in emphasis.drivers()],
        "unknown": [catalogue.criteria[c].label for c in emphasis.unknown],
        "criteria": criteria,
        "warnings": [
            {"id": w.id, "message": w.message, "sources": _cite(catalogue, w.sources)}
            for w in result.warnings
        ],
        "stages": stages,
        "alternatives": alternatives,
        "catalogue_version": result.catalogue_version,
        "today": timezone.localdate(),
    }


@login_required
@require_safe
def aid_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The result and its reasons on one page that prints well."""
    project = project_for(request, pk, "projects.change_plan", with_plan=True)
    context = _review_context(project)
    context["record_form"] = AssessmentRecordForm(initial={"stage": project.current_stage})
    return _step_page(request, project, "aid_review", context)


# --- Assessments kept at stage gates --------------------------------------------------------------


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class HistoryRow:
    record: Any
    emphasis_words: str
    stage_label: str | None
    previous: Any = None
    previous_words: str = ""
    emphasis_changed: bool = False
    answers: list[Change] = field(default_factory=list)
    weights: list[Change] = field(default_factory=list)
    warnings_known: bool = True
    appeared: list[str] = field(default_factory=list)
    cleared: list[str] = field(default_factory=list)

    @property
    def nothing_changed(self) -> bool:
        return not (
            self.emphasis_changed or self.answers or self.weights or self.appeared or self.cleared
        )


def _rule_label(catalogue: Catalogue, rule_id: str) -> str:
    rule = catalogue.rules.get(rule_id)
    return rule.label if rule else rule_id


def _criterion_label(catalogue: Catalogue, criterion: str) -> str:
    try:
        return catalogue.criteria[Criterion(criterion)].label
    except ValueError:
        return criterion


def _answer_text(answer: str) -> str:
    return str(ANSWER_LABELS.get(answer, answer))


def _weights_changed(
    catalogue: Catalogue, before: dict[str, Any], after: dict[str, Any]
) -> list[Change]:
    """Criteria whose weight or reason changed: '1 → 2 (the council delivers the programme)'."""

    def shown(entry: dict[str, Any] | None) -> str:
        weight = _weight_text(entry["weight"] if entry else None)
        reason = (entry or {}).get("reason") or ""
        return f"{weight} ({reason})" if reason else weight

    return [
        Change(
            _criterion_label(catalogue, c.value),
            shown(before.get(c.value)),
            shown(after.get(c.value)),
        )
        for c in Criterion
        if shown(before.get(c.value)) != shown(after.get(c.value))
    ]


def _history(records: list[Any], catalogue: Catalogue) -> list[HistoryRow]:
    """Each kept assessment, and for each after the first what changed since the one before."""
    rows: list[HistoryRow] = []
    previous = None
    for record in records:
        stage = catalogue.stages.get(Stage(record.stage)) if record.stage else None
        row = HistoryRow(
            record=record,
            emphasis_words=_emphasis_text(record.emphasis),
            stage_label=stage.label if stage else None,
            previous=previous,
        )
        if previous is not None:
            row.previous_words = _emphasis_text(previous.emphasis)
            row.emphasis_changed = previous.emphasis != record.emphasis
            row.answers = [
                Change(
                    _criterion_label(catalogue, c.value),
                    _answer_text(previous.criteria.get(c.value, "unknown")),
                    _answer_text(record.criteria.get(c.value, "unknown")),
                )
                for c in Criterion
                if previous.criteria.get(c.value, "unknown")
                != record.criteria.get(c.value, "unknown")
            ]
            row.weights = _weights_changed(catalogue, previous.weights, record.weights)
            # Assessments read from a plan file do not say which warnings they gave.
            row.warnings_known = bool(previous.catalogue_version and record.catalogue_version)
            if row.warnings_known:
                before, after = set(previous.warnings), set(record.warnings)
                appeared = [w for w in record.warnings if w not in before]
                cleared = [w for w in previous.warnings if w not in after]
                row.appeared = [_rule_label(catalogue, w) for w in dict.fromkeys(appeared)]
                row.cleared = [_rule_label(catalogue, w) for w in dict.fromkeys(cleared)]
        rows.append(row)
        previous = record
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def assessment_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Every assessment kept at a stage gate, and how and why the emphasis changed.

    Every member may read it; POST (the team only) keeps today's assessment.
    """
    permission = "projects.change_plan" if request.method == "POST" else "projects.view_project"
    project = project_for(request, pk, permission)
    catalogue = default_catalogue()
    form = AssessmentRecordForm(
        request.POST if request.method == "POST" else None,
        initial={"stage": project.current_stage},
        catalogue=catalogue,
    )
    if request.method == "POST" and form.is_valid():
        record = services.assessment_record(
            project=project,
            user=request.user,
            stage=form.cleaned_data["stage"],
            note=form.cleaned_data["note"].strip(),
        )
        messages.success(
            request,
            _("Assessment recorded: %(emphasis)s.") % {"emphasis": _emphasis_text(record.emphasis)},
        )
        return redirect(reverse("assessment_list", args=[project.pk]) + f"#assessment-{record.pk}")
    rows = _history(selectors.assessment_history(project=project), catalogue)
    return render_project(
        request,
        "projects/assessment_list.html",
        project,
        {"rows": rows, "record_form": form},
        status=400 if form.is_bound else 200,
    )
