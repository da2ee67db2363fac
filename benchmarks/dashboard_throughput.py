"""Throughput of the project dashboard against a bare Django view, under gunicorn on loopback.

Both URLs are served by the same gunicorn (gthread, 2 workers × 4 threads, production settings on
a throw-away SQLite file with the demo data) and measured in the same run, in short rounds that
alternate between them so that a busy machine slows both alike. Both requests carry the demo
lead's session cookie, so both go through the same middleware with a signed-in user. The aim
(issue 3) is that the dashboard reaches at least 40% of the bare view's requests per second.

    .venv/bin/python benchmarks/dashboard_throughput.py [--rounds 5] [--duration 6] [--signed-in]

The load comes from wrk (Debian: ``apt-get install -y wrk``). Without it, or with
``--client python``, a small Python client (processes × threads, keep-alive) is used instead; it
costs far more CPU per request than wrk, so its figures are lower and only roughly comparable.
Every response is checked: anything but a 200, or a dashboard page without the project's title,
fails the run. Only 127.0.0.1 is contacted.

Besides requests per second and latency, the run reports the CPU time gunicorn's workers spent
per request (from /proc, Linux only). On a machine shared with other work, req/s swing from round
to round; CPU per request barely moves, so it shows the cost of each page more steadily.
``--signed-in`` adds a third URL, ``/bare/signed-in/``, which loads the session and the user and
does nothing else: the floor for any page behind a login.
"""

from __future__ import annotations

import argparse
import html
import http.client
import json
import multiprocessing
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
AIM = 0.40

WRK_SCRIPT = r"""
-- Counts every response that is not a 200, or whose body lacks the expected text.
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  expect = args[1]
  if expect == "" then expect = nil end
  bad_status = 0
  bad_body = 0
  first_bad = ""
end
function response(status, headers, body)
  if status ~= 200 then
    bad_status = bad_status + 1
    if first_bad == "" then first_bad = tostring(status) .. " " .. (headers["Location"] or "") end
  elseif expect and not string.find(body, expect, 1, true) then
    bad_body = bad_body + 1
  end
end
function done(summary, latency, requests)
  local bs, bb, fb = 0, 0, ""
  for _, t in ipairs(threads) do
    bs = bs + t:get("bad_status")
    bb = bb + t:get("bad_body")
    if fb == "" then fb = t:get("first_bad") end
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"bad_status": %d, "bad_body": %d, "first_bad": "%s", "errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    bs, bb, fb, e.connect + e.read + e.write + e.timeout + e.status))
end
"""


class BenchmarkError(RuntimeError):
    pass


@dataclass
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    cpu_ms: float | None = None  # gunicorn workers' CPU time per request (Linux only)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


# --------------------------------------------------------------------------------------------
# Set-up: database, demo data, session, in-process check
# --------------------------------------------------------------------------------------------


def prepare(bench_dir: Path) -> dict[str, Any]:
    """Migrate, load the demo and sign the lead in; return the URLs, cookie and title."""
    os.environ["COPROD_BENCH_DIR"] = str(bench_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.bench_settings"
    os.environ["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(48)  # shared with gunicorn
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from coprod.web.accounts.models import User
    from coprod.web.projects.demo import demo_load
    from coprod.web.projects.models import Project

    step = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    summary = demo_load()
    if not summary.created:
        raise BenchmarkError("the demo was not loaded into the fresh database")
    lead = User.objects.get(username="lead")
    project = Project.objects.filter(organisation__slug="northfield-ahr").order_by("pk").first()
    if project is None:
        raise BenchmarkError("no demo project")
    client = Client(SERVER_NAME=HOST)
    client.force_login(lead)  # no authenticate(), so django-axes needs no request
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    urls = {
        "bare": reverse("bench_bare"),
        "dashboard": reverse("project_dashboard", args=[project.pk]),
        "signed_in": reverse("bench_bare_signed_in"),
    }
    expect = {"bare": "ok", "dashboard": html.escape(project.title), "signed_in": "ok lead"}
    # The same requests in-process: they must work, and their query counts are reported.
    queries = {}
    for name, url in urls.items():
        client.get(url)  # warm caches (catalogue, templates) so the count is a steady state
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        if response.status_code != 200 or expect[name].encode() not in response.content:
            raise BenchmarkError(f"in-process GET {url} gave {response.status_code}, not the page")
        queries[name] = len(captured.captured_queries)
    connections.close_all()
    print(
        f"Set up in {time.perf_counter() - step:.1f} s: demo project {project.title!r} "
        f"(id {project.pk}), {project.stakeholders.count()} stakeholders, "
        f"{project.stage_plans.count()} stage plans; signed in as 'lead'."
    )
    connections.close_all()
    return {
        "urls": urls,
        "expect": expect,
        "cookie": cookie,
        "title": project.title,
        "project_pk": project.pk,
        "queries": queries,
    }


# --------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def start_gunicorn(
    bench_dir: Path, port: int, workers: int, threads: int
) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT), str(ROOT / "src"), *filter(None, [env.get("PYTHONPATH")])]
    )
    command = [
        sys.executable, "-m", "gunicorn",
        "-w", str(workers), "--threads", str(threads), "-k", "gthread",
        "-b", f"{HOST}:{port}", "--log-level", "warning",
        "coprod.web.wsgi:application",
    ]  # fmt: skip
    log = (bench_dir / "gunicorn.log").open("wb")
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def stop_gunicorn(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def fetch(port: int, path: str, cookie: str | None) -> tuple[int, bytes, str]:
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        return response.status, response.read(), response.getheader("Location") or ""
    finally:
        connection.close()


def wait_until_up(process: subprocess.Popen[bytes], port: int, bench_dir: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchmarkError("gunicorn exited:\n" + server_log(bench_dir))
        try:
            if fetch(port, "/bare/", None)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise BenchmarkError("gunicorn did not answer within 60 s:\n" + server_log(bench_dir))


def worker_cpu_seconds(master: int) -> float | None:
    """CPU time (user + system) used so far by gunicorn's workers, read from /proc (Linux)."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0
    try:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:  # fields[1] is the parent's pid
                total += int(fields[11]) + int(fields[12])  # utime, stime
    except OSError:
        return None
    return total / ticks


def server_log(bench_dir: Path) -> str:
    path = bench_dir / "gunicorn.log"
    return path.read_text(errors="replace")[-4000:] if path.exists() else "(no log)"


def check_pages(port: int, setup: dict[str, Any]) -> None:
    """One request each: 200s with the right content, and no dashboard without the cookie."""
    for name, url in setup["urls"].items():
        status, body, location = fetch(port, url, setup["cookie"])
        if status != 200:
            raise BenchmarkError(f"GET {url} gave {status} {location}")
        if setup["expect"][name].encode() not in body:
            raise BenchmarkError(f"GET {url} is not the expected page")
        print(f"  GET {url}: 200, {len(body):,} bytes")
    status, _body, location = fetch(port, setup["urls"]["dashboard"], None)
    if status != 302 or "/accounts/login/" not in location:
        raise BenchmarkError(f"without the session the dashboard gave {status}, not a sign-in")


# --------------------------------------------------------------------------------------------
# Load generators
# --------------------------------------------------------------------------------------------


def run_wrk(
    port: int,
    path: str,
    cookie: str,
    expect: str,
    seconds: float,
    connections: int,
    threads: int,
    script: Path,
) -> Result:
    command = [
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "5s",
        "-H", f"Cookie: {cookie}", "-s", str(script), f"http://{HOST}:{port}{path}", "--", expect,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRK_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise BenchmarkError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    data = json.loads(line.removeprefix("WRK_JSON "))
    check_counts(
        path,
        data["requests"],
        data["bad_status"],
        data["bad_body"],
        data["errors"],
        data["first_bad"],
    )
    return Result(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
    )


def check_counts(
    path: str, requests: int, bad_status: int, bad_body: int, errors: int, first_bad: str
) -> None:
    if requests == 0:
        raise BenchmarkError(f"{path}: no request completed")
    if bad_status or bad_body or errors:
        raise BenchmarkError(
            f"{path}: {bad_status} responses were not 200 (first: {first_bad or '-'}), "
            f"{bad_body} lacked the expected content, {errors} socket errors or timeouts, "
            f"out of {requests}"
        )


def _python_worker(
    args: tuple[int, str, str, str, float, int],
) -> tuple[list[float], int, int, str]:
    port, path, cookie, expect, seconds, n_threads = args
    latencies: list[float] = []
    counts = {"bad_status": 0, "bad_body": 0}
    first_bad: list[str] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    needle = expect.encode()

    def loop() -> None:
        mine: list[float] = []
        bad_status = bad_body = 0
        connection = http.client.HTTPConnection(HOST, port, timeout=10)
        while (start := time.perf_counter()) < deadline:
            connection.request("GET", path, headers={"Cookie": cookie})
            response = connection.getresponse()
            body = response.read()
            mine.append(time.perf_counter() - start)
            if response.status != 200:
                bad_status += 1
                if not first_bad:
                    first_bad.append(f"{response.status} {response.getheader('Location') or ''}")
            elif needle not in body:
                bad_body += 1
            if response.will_close:
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=10)
        connection.close()
        with lock:
            latencies.extend(mine)
            counts["bad_status"] += bad_status
            counts["bad_body"] += bad_body

    workers = [threading.Thread(target=loop) for _ in range(n_threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return latencies, counts["bad_status"], counts["bad_body"], first_bad[0] if first_bad else ""


def run_python(
    port: int,
    path: str,
    cookie: str,
    expect: str,
    seconds: float,
    connections: int,
    processes: int,
    pool: Any,
) -> Result:
    per_process = [
        connections // processes + (i < connections % processes) for i in range(processes)
    ]
    jobs = [(port, path, cookie, expect, seconds, n) for n in per_process if n]
    start = time.perf_counter()
    outcomes = pool.map(_python_worker, jobs)
    elapsed = time.perf_counter() - start
    latencies = sorted(x for outcome in outcomes for x in outcome[0])
    bad_status = sum(o[1] for o in outcomes)
    bad_body = sum(o[2] for o in outcomes)
    first_bad = next((o[3] for o in outcomes if o[3]), "")
    check_counts(path, len(latencies), bad_status, bad_body, 0, first_bad)
    return Result(
        requests=len(latencies),
        seconds=elapsed,
        p50_ms=latencies[len(latencies) // 2] * 1000,
        p99_ms=latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
    )


# --------------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="rounds per URL (5)")
    parser.add_argument("--duration", type=float, default=6, help="seconds per round (6)")
    parser.add_argument("--warmup", type=float, default=3, help="warm-up seconds per URL (3)")
    parser.add_argument("--connections", type=int, default=16, help="open connections (16)")
    parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (4)")
    parser.add_argument(
        "--signed-in",
        action="store_true",
        help="also measure /bare/signed-in/, which loads only the session and the user",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (DB, server log)")
    args = parser.parse_args()

    client = args.client
    if client == "auto":
        client = "wrk" if shutil.which("wrk") else "python"
        if client == "python":
            print(
                "wrk is not installed (Debian: apt-get install -y wrk); "
                "using the slower Python client."
            )
    elif client == "wrk" and not shutil.which("wrk"):
        print("wrk is not installed. On Debian: apt-get install -y wrk", file=sys.stderr)
        return 2

    # SIGTERM (e.g. from a CI timeout) unwinds through the finally blocks like Ctrl-C.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    bench_dir = Path(tempfile.mkdtemp(prefix="coprod-bench-"))
    server: subprocess.Popen[bytes] | None = None
    pool = None
    try:
        setup = prepare(bench_dir)
        port = free_port()
        server = start_gunicorn(bench_dir, port, args.workers, args.threads)
        wait_until_up(server, port, bench_dir)
        print(
            f"gunicorn gthread, {args.workers} workers × {args.threads} threads, "
            f"on http://{HOST}:{port}/; load: {client}, {args.connections} connections"
        )
        check_pages(port, setup)

        master = server.pid
        print(f"Load average before the run: {load_average()}")
        script = bench_dir / "check.lua"
        script.write_text(WRK_SCRIPT)
        cpus = os.cpu_count() or 2
        if client == "python":
            pool = multiprocessing.get_context("spawn").Pool(cpus)

        def measure(name: str, seconds: float) -> Result:
            path, expect = setup["urls"][name], setup["expect"][name]
            cpu_before = worker_cpu_seconds(master)
            if client == "wrk":
                result = run_wrk(
                    port,
                    path,
                    setup["cookie"],
                    expect,
                    seconds,
                    args.connections,
                    min(cpus, args.connections),
                    script,
                )
            else:
                result = run_python(
                    port, path, setup["cookie"], expect, seconds, args.connections, cpus, pool
                )
            cpu_after = worker_cpu_seconds(master)
            if cpu_before is not None and cpu_after is not None and cpu_after > cpu_before:
                result.cpu_ms = (cpu_after - cpu_before) * 1000 / result.requests
            return result

        names = ["bare", "dashboard", *(["signed_in"] if args.signed_in else [])]
        for name in names:
            measure(name, args.warmup)
        results: dict[str, list[Result]] = {name: [] for name in names}
        for round_no in range(args.rounds):
            # Alternate the order, so a drift in machine load falls on every URL alike.
            for name in names if round_no % 2 == 0 else names[::-1]:
                result = measure(name, args.duration)
                results[name].append(result)
                cpu = f"{result.cpu_ms:6.2f}" if result.cpu_ms is not None else "     -"
                print(
                    f"  round {round_no + 1} {name:<9} {result.rps:8,.0f} req/s  "
                    f"p50 {result.p50_ms:7.2f} ms  p99 {result.p99_ms:7.2f} ms  "
                    f"server CPU {cpu} ms/request"
                )
        if server.poll() is not None:
            raise BenchmarkError("gunicorn died during the run:\n" + server_log(bench_dir))
        report(args, client, setup, results)
        return 0
    except BenchmarkError as error:
        print(f"\nBENCHMARK FAILED: {error}", file=sys.stderr)
        return 1
    finally:
        if pool is not None:
            pool.terminate()
        if server is not None:
            stop_gunicorn(server)
        if args.keep:
            print(f"Kept {bench_dir}")
        else:
            shutil.rmtree(bench_dir, ignore_errors=True)


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def _median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if len(present) == len(values) else None


def report(
    args: argparse.Namespace, client: str, setup: dict[str, Any], results: dict[str, list[Result]]
) -> None:
    ratios = [d.rps / b.rps for b, d in zip(results["bare"], results["dashboard"], strict=True)]
    ratio = statistics.median(ratios)
    print(f"Load average after the run: {load_average()}")
    print()
    print(
        f"{args.rounds} rounds × {args.duration:g} s per URL, {client}, "
        f"{args.connections} connections; medians over the rounds:"
    )
    print()
    print("| URL | req/s | × bare | p50 (ms) | p99 (ms) | server CPU (ms/request) | SQL queries |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    bare_rps = statistics.median(r.rps for r in results["bare"])
    cpu: dict[str, float | None] = {}
    labels = {
        "bare": "`/bare/` (bare view)",
        "dashboard": f"dashboard `{setup['urls']['dashboard']}`",
        "signed_in": "`/bare/signed-in/` (session + user only)",
    }
    for name, rows in results.items():
        label = labels[name]
        rps = statistics.median(r.rps for r in rows)
        cpu[name] = _median([r.cpu_ms for r in rows])
        cpu_text = f"{cpu[name]:.2f}" if cpu[name] is not None else "-"
        print(
            f"| {label} | {rps:,.0f} | {rps / bare_rps:.2f} "
            f"| {statistics.median(r.p50_ms for r in rows):.1f} "
            f"| {statistics.median(r.p99_ms for r in rows):.1f} | {cpu_text} "
            f"| {setup['queries'][name]} |"
        )
    print()
    print("Per-round ratio dashboard/bare: " + ", ".join(f"{r:.1%}" for r in ratios))
    if cpu["bare"] and cpu["dashboard"]:
        cpu_ratio = cpu["bare"] / cpu["dashboard"]
        print(
            f"Ratio of server CPU per request, bare/dashboard: {cpu_ratio:.1%} "
            "(roughly the throughput ratio when the server's CPU is the limit; it moves far "
            "less than req/s when other work shares the machine)"
        )
    verdict = "met" if ratio >= AIM else "NOT met"
    print(
        f"Dashboard at {ratio:.1%} of the bare view's requests per second (median of rounds): "
        f"the {AIM:.0%} aim is {verdict}."
    )


if __name__ == "__main__":
    sys.exit(main())
