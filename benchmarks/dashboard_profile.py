"""Where the project dashboard's time goes, step by step, inside one process (no HTTP server).

Sets up the same throw-away database as ``dashboard_throughput.py`` (production settings, demo
data, the demo lead signed in), then times each step of the dashboard view many times over and
counts its SQL queries. The steps mirror ``coprod.web.projects.views_projects.project_dashboard``;
if that view changes, change ``_dashboard_steps`` here to match.

    .venv/bin/python benchmarks/dashboard_profile.py [--repeat 300]
"""

from __future__ import annotations

import argparse
import gc
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.dashboard_throughput import prepare  # noqa: E402


def _timed(fn: Callable[[], Any], repeat: int) -> tuple[float, int]:
    """Milliseconds per call (after a warm-up) and the SQL queries of one call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(max(10, repeat // 10)):
        fn()
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    ms = (time.perf_counter() - start) * 1000 / repeat
    with CaptureQueriesContext(connection) as captured:
        fn()
    return ms, len(captured.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=300, help="calls timed per step (300)")
    args = parser.parse_args()
    bench_dir = Path(tempfile.mkdtemp(prefix="coprod-profile-"))
    try:
        setup = prepare(bench_dir)
        profile(setup, args.repeat)
    finally:
        shutil.rmtree(bench_dir, ignore_errors=True)


def profile(setup: dict[str, Any], repeat: int) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client, RequestFactory
    from django.test.utils import CaptureQueriesContext
    from django.urls import resolve

    from coprod.core.assess import assess
    from coprod.core.catalogue import default_catalogue
    from coprod.web.accounts.models import User
    from coprod.web.projects import selectors
    from coprod.web.projects import view_helpers as helpers
    from coprod.web.projects.models import Membership, Project
    from coprod.web.projects.views_projects import _stage_rows

    pk = setup["project_pk"]
    urls = setup["urls"]
    lead = User.objects.get(username="lead")
    client = Client(SERVER_NAME="127.0.0.1")
    client.cookies[settings.SESSION_COOKIE_NAME] = setup["cookie"].split("=", 1)[1]
    factory = RequestFactory(SERVER_NAME="127.0.0.1")

    def request() -> Any:
        req = factory.get(urls["dashboard"])
        req.user = lead
        req.resolver_match = resolve(urls["dashboard"])
        req.session = {}
        return req

    rows: list[tuple[str, float, int]] = []

    def row(label: str, fn: Callable[[], Any], n: int = repeat) -> float:
        ms, queries = _timed(fn, n)
        rows.append((label, ms, queries))
        return ms

    # 1. Whole requests through Django's handler and every middleware (the test client).
    row("GET /bare/ (test client, all middleware)", lambda: client.get(urls["bare"]))
    row("GET /bare/signed-in/ (+ session and user)", lambda: client.get(urls["signed_in"]))
    row("GET dashboard (test client, all middleware)", lambda: client.get(urls["dashboard"]))

    # 2. The view's own steps, each timed over the whole view so they add up.
    steps: dict[str, float] = defaultdict(float)
    queries: dict[str, int] = defaultdict(int)
    context_holder: dict[str, Any] = {}

    def dashboard_steps() -> None:
        req = request()
        clock = time.perf_counter
        with CaptureQueriesContext(connection) as captured:
            t0 = clock()
            project = helpers.project_for(req, pk, with_plan=True)
            t1 = clock()
            n1 = len(captured.captured_queries)
            req.user.has_perm("projects.change_plan", project)
            plan = selectors.project_plan(project=project)
            t2 = clock()
            catalogue = default_catalogue()
            result = assess(plan, catalogue)
            t3 = clock()
            show_names = req.user.has_perm("projects.view_personal_data", project)
            brings: dict[str, list[dict[str, str]]] = {}
            for stakeholder in project.stakeholders.all():
                label = catalogue.groups[stakeholder.group].label  # type: ignore[index]
                who = stakeholder.name if show_names else stakeholder.role
                brings.setdefault(label, []).append({"who": who, "brings": stakeholder.brings})
            assessments = list(project.assessments.all())
            context = {
                "plan": plan,
                "result": result,
                "catalogue": catalogue,
                "stages": _stage_rows(result, catalogue),
                "brings_by_group": brings,
                "key_questions": [
                    (
                        catalogue.questions[q],
                        getattr(plan.key_questions, q, None) if plan.key_questions else None,
                    )
                    for q in ("brings", "when_needed", "costs", "decisions")
                ],
                "last_assessment": assessments[-1] if assessments else None,
            }
            t4 = clock()
            response = helpers.render_project(req, "projects/dashboard.html", project, context)
            t5 = clock()
        context_holder.update(project=project, context=context, response=response)
        steps["project_for: membership, project, 6 prefetches"] += (t1 - t0) * 1000
        queries["project_for: membership, project, 6 prefetches"] = n1
        steps["plan_from_project (core Plan from the rows)"] += (t2 - t1) * 1000
        steps["assess(plan, catalogue)"] += (t3 - t2) * 1000
        steps["stakeholders by group, stage rows, key questions"] += (t4 - t3) * 1000
        steps["render_project: permissions, menu, template"] += (t5 - t4) * 1000
        queries["render_project: permissions, menu, template"] = len(captured.captured_queries) - n1

    for _ in range(max(10, repeat // 10)):
        dashboard_steps()
    steps.clear()
    for _ in range(repeat):
        dashboard_steps()
    if context_holder["response"].status_code != 200:
        raise SystemExit("the dashboard view did not answer 200")
    view_total = sum(steps.values()) / repeat

    # 3. What project_for's queries cost one by one, on a fresh project each time.
    project = Project.objects.get(pk=pk)
    detail: list[tuple[str, float, int]] = []

    def sub(label: str, fn: Callable[[], Any]) -> None:
        ms, n = _timed(fn, repeat)
        detail.append((label, ms, n))

    sub(
        "membership (only role)",
        lambda: Membership.objects.filter(user=lead, project_id=pk).only("role").first(),
    )
    sub(
        "project + organisation (select_related)",
        lambda: Project.objects.select_related("organisation").filter(pk=pk).first(),
    )
    for relation in selectors.PLAN_RELATIONS:
        count = getattr(project, relation).count()
        sub(f"{relation} ({count} rows)", lambda r=relation: list(getattr(project, r).all()))

    # 4. The template alone, and the page layout without the dashboard's content.
    from django.template.loader import render_to_string

    full_context = dict(context_holder["context"])
    req = request()
    helpers_context = {
        "project": context_holder["project"],
        "role": "lead",
        "role_label": "Lead",
        "project_menu": helpers.project_menu(req, context_holder["project"]),
        "can": {},
    }
    full_context.update(helpers_context)
    full_context["can"] = {"change_plan": True, "export_plan": True, "replace_plan": True}
    template_ms, _ = _timed(
        lambda: render_to_string("projects/dashboard.html", full_context, request=req), repeat
    )
    layout_ms, _ = _timed(
        lambda: render_to_string("projects/project_base.html", helpers_context, request=req),
        repeat,
    )

    # 5. Garbage collection during whole dashboard requests.
    gc_ms = [0.0]
    started = [0.0]

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            gc_ms[0] += (time.perf_counter() - started[0]) * 1000

    gc.callbacks.append(on_gc)
    start = time.perf_counter()
    for _ in range(repeat):
        client.get(urls["dashboard"])
    whole = (time.perf_counter() - start) * 1000 / repeat
    gc.callbacks.remove(on_gc)

    print()
    print(f"In-process timings, mean of {repeat} calls each (ms per request):")
    print()
    print("| whole request | ms | SQL queries |")
    print("|---|---:|---:|")
    for label, ms, n in rows:
        print(f"| {label} | {ms:.2f} | {n} |")
    print()
    print("| step of the dashboard view | ms | share of the view | SQL queries |")
    print("|---|---:|---:|---:|")
    for label, total in steps.items():
        ms = total / repeat
        print(f"| {label} | {ms:.2f} | {ms / view_total:.0%} | {queries.get(label, 0)} |")
    print(f"| **the view in all** | {view_total:.2f} | 100% | |")
    print()
    print("| project_for's queries, one at a time | ms | SQL queries |")
    print("|---|---:|---:|")
    for label, ms, n in detail:
        print(f"| {label} | {ms:.2f} | {n} |")
    print()
    print(f"Template only: dashboard.html {template_ms:.2f} ms, of which the page layout "
          f"(project_base.html with the menu, no content) {layout_ms:.2f} ms.")  # fmt: skip
    print(f"Garbage collection: {gc_ms[0] / repeat:.2f} ms of each {whole:.2f} ms dashboard "
          "request.")  # fmt: skip


if __name__ == "__main__":
    main()
