"""`python -m bench`: generate the data set, run the production server, measure, report.

Load generator: wrk (Debian), two threads and eight connections on the same two-core machine;
wrk is written in C and uses little CPU, which leaves the cores to gunicorn.
"""

import io
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/handover_bench"
)
PORT = 8077
BASE = f"http://127.0.0.1:{PORT}"
RUNS, SECONDS = 3, 5
FAILED_REQUESTS: dict[str, int] = {}
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DATABASE_URL": DATABASE_URL,
    "SECRET_KEY": secrets.token_urlsafe(50),
    "DEBUG": "0",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_COOKIES": "0",
    "ALLOWED_HOSTS": "127.0.0.1",
    # A look-up per nurse per two seconds is the product's limit; the benchmark is one user.
    "LOOKUP_RATE_PER_MINUTE": "100000000",
    "LOG_LEVEL": "WARNING",
}
os.environ.update(SERVER_ENV)

import django  # noqa: E402


def say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def reset_database() -> None:
    name = DATABASE_URL.rsplit("/", 1)[1]
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)


def wrk(script: str, url: str, env: dict[str, str]) -> tuple[list[float], list[float]]:
    """Warm up, then RUNS runs: each run's req/s and p95 (ms)."""
    command = ["wrk", "-t2", "-c8", "--timeout", "5s", "-s", str(ROOT / "bench" / script), url]
    subprocess.run(
        [*command[:1], "-d2s", *command[1:]],
        env={**os.environ, **env},
        capture_output=True,
        check=True,
    )
    rates, p95s = [], []
    for _ in range(RUNS):
        out = subprocess.run(
            [*command[:1], f"-d{SECONDS}s", *command[1:]],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        line = next(row for row in out.splitlines() if row.startswith("BENCH "))
        rate, p95, errors = line.split()[1:]
        if int(errors):
            FAILED_REQUESTS[url] = FAILED_REQUESTS.get(url, 0) + int(errors)
            say(f"  {url}: {errors} failed requests")
        rates.append(float(rate))
        p95s.append(float(p95))
    return rates, p95s


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    reset_database()
    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token

    from accounts.models import Role, User
    from bench import measure
    from bench.generate import generate
    from contacts.demo import HERLEV_CARDIOLOGY, seed_directory
    from contacts.models import Ward

    say("Migrating the bench database …")
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    seed_directory()
    ward = Ward.objects.get(sor_code=HERLEV_CARDIOLOGY)
    users = {
        "nurse": User.objects.create(username="bench_nurse", role=Role.WARD_NURSE, ward=ward),
        "municipal": User.objects.create(
            username="bench_municipal", role=Role.MUNICIPAL_NURSE, municipality_id="163"
        ),
        "risk": User.objects.create(username="bench_risk", role=Role.RISK_MANAGER, region_id=1084),
        "admin": User.objects.create(username="bench_admin", role=Role.ADMIN, is_superuser=True),
    }
    cookies = {}
    for key, user in users.items():
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies[key] = f"sessionid={session.session_key}"
    token = Token.objects.create(user=users["municipal"]).key

    # The sizes can be made small to try the harness out: BENCH_SMALL=1000 BENCH_LARGE=4000.
    small = int(os.environ.get("BENCH_SMALL", 100_000))
    large = int(os.environ.get("BENCH_LARGE", 900_000))
    rounds = {"100k": small, "1M": large}
    figures: dict[str, dict[str, float]] = {}
    for label, rows in rounds.items():
        say(f"Generating {label} discharges …")
        seconds = generate(
            discharges=rows, reporter_id=users["admin"].pk, focus_ward_id=ward.pk, progress=say
        )
        say(f"  generated in {seconds:.0f} s")
        figures[label] = {"generate_s": seconds}
        say("Rebuilding the statistics' summary tables …")
        started = time.perf_counter()
        call_command("refresh_statistics", "--all", stdout=io.StringIO())
        figures[label]["summaries_s"] = time.perf_counter() - started
        say(f"  rebuilt in {figures[label]['summaries_s']:.0f} s")
        server = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "config.wsgi",
                "-w",
                "4",
                "-b",
                f"127.0.0.1:{PORT}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env={**os.environ, **SERVER_ENV},
        )
        try:
            measure.wait_for(BASE)
            figures[label].update(
                measure.round(label, wrk, BASE, token, cookies, full=(label == "1M"))
            )
            if label == "1M":
                figures[label]["rss_mb"] = measure.worker_rss_mb(server.pid)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    figures["1M"]["failed_requests"] = sum(FAILED_REQUESTS.values())
    results = measure.report(figures)
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2))
    say(measure.table(results))
    if not all(row["pass"] for row in results):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
