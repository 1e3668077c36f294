"""`python -m bench`: generate the data sets, run the production servers, measure, report.

Two databases: 1,000,000 discharges (the measured deployment) and 100,000 (to show the
look-up and the sweep stay flat as the data grows). Each gets its own production server
(gunicorn, production settings, 4 sync workers) and its own Redis database. Measurements
that are compared run interleaved, one run of each in turn, so that the machine's speed,
which drifts on a shared host, weighs on both alike.

Load generator: wrk (Debian), two threads and eight connections on the same two-core machine;
wrk is written in C and uses little CPU, which leaves the cores to gunicorn. A response other
than 200 counts as a failed request. The look-ups come from 1,000 municipal nurses, each under
the product's own limit (LOOKUP_RATE_PER_MINUTE, 30).
"""

import json
import os
import secrets
import shutil
import signal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/handover_bench"
)
SMALL_DATABASE_URL = DATABASE_URL + "_small"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
SMALL_REDIS_URL = REDIS_URL.rsplit("/", 1)[0] + "/12"
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": REDIS_URL,
    "SECRET_KEY": secrets.token_urlsafe(50),
    "DEBUG": "0",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_COOKIES": "0",
    "ALLOWED_HOSTS": "127.0.0.1",
    "LOG_LEVEL": "WARNING",
}
os.environ.update(SERVER_ENV)

import django  # noqa: E402

from bench.datasets import DataSet, prepare, reset, say, serve, using  # noqa: E402


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    # The sizes can be made small to try the harness out: BENCH_SMALL=1000 BENCH_LARGE=4000.
    big = DataSet("1M", DATABASE_URL, REDIS_URL, int(os.environ.get("BENCH_LARGE", 1_000_000)))
    small = DataSet(
        "100k", SMALL_DATABASE_URL, SMALL_REDIS_URL, int(os.environ.get("BENCH_SMALL", 100_000))
    )
    for data in (big, small):
        reset(data)
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench import load, measure, report

    call_command("collectstatic", interactive=False, verbosity=0)
    figures: dict[str, dict[str, float]] = {}
    for data in (small, big):
        with using(data):
            figures[data.label] = prepare(data)
    with using(big), connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")  # the generated rows on disk before anything is measured
    servers = {data.label: serve(data, SERVER_ENV) for data in (big, small)}
    try:
        for data in (big, small):
            measure.wait_for(data.base, servers[data.label])
        say("Measuring …")
        lookups = load.lookup_runs(big, small)
        load.warm_up(lookups)
        load.interleaved_lookups(figures, lookups)
        figures["1M"].update(load.pages(big))
        measure.in_process(figures, big, small, using)
        figures["1M"]["rss_mb"] = measure.worker_rss_mb(servers["1M"].pid)
    finally:
        for server in servers.values():
            server.send_signal(signal.SIGTERM)
        for server in servers.values():
            server.wait(timeout=30)
    figures["1M"]["failed_requests"] = sum(load.FAILED_REQUESTS.values())
    results = report.report(figures)
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2))
    say(report.table(results))
    if not all(row["pass"] for row in results):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
