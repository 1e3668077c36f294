"""The HTTP measurements of `make bench`: wrk against the production servers.

Each measurement is RUNS runs of SECONDS each after a warm-up run of its own: two seconds for
the pages, LOOKUP_WARM_UP for the look-ups, whose thousand nurses each worker reads once and
keeps. The look-up, its bare baseline and the look-up at 100k run interleaved, a minute after
their warm-up.
"""

import os
import subprocess
import time
from pathlib import Path
from typing import Any

from bench.datasets import say, using
from bench.measure import paired, spread
from bench.report import STATS

ROOT = Path(__file__).resolve().parent.parent
RUNS, SECONDS = 3, 5
LOOKUP_WARM_UP = 20
FAILED_REQUESTS: dict[str, int] = {}


def wrk(script: str, url: str, env: dict[str, str], seconds: int = SECONDS) -> tuple[float, float]:
    """One run: req/s and p95 (ms), each also printed as it comes. A response other than 200
    counts as a failed request."""
    command = ["wrk", "-t2", "-c8", f"-d{seconds}s", "--timeout", "5s"]
    out = subprocess.run(
        [*command, "-s", str(ROOT / "bench" / script), url],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(row for row in out.splitlines() if row.startswith("BENCH "))
    rate, p95, errors = line.split()[1:]
    say(f"  {url} ({seconds} s): {float(rate):,.0f} req/s, p95 {float(p95):.1f} ms")
    if int(errors):
        FAILED_REQUESTS[url] = FAILED_REQUESTS.get(url, 0) + int(errors)
        say(f"  {url}: {errors} failed requests")
    return float(rate), float(p95)


def _lookup_env(data: Any) -> dict[str, str]:
    """The nurses' tokens and 200 CPR numbers of the municipality's citizens with an open
    window."""
    from handover.models import Discharge

    cprs = ",".join(
        Discharge.objects.filter(municipality_id="163", status="active").values_list(
            "patient__cpr", flat=True
        )[:200]
    )
    return {"BENCH_TOKENS": str(data.tokens_file), "BENCH_CPRS": cprs}


Run = tuple[str, str, str, dict[str, str]]  # data set, name, URL, wrk's environment


def lookup_runs(big: Any, small: Any) -> list[Run]:
    """The look-up at 1M, the bare baseline at 1M and the look-up at 100k."""
    with using(big):
        big_env = _lookup_env(big)
    with using(small):
        small_env = _lookup_env(small)
    return [
        ("1M", "lookup", big.base + "/api/v1/lookup/", big_env),
        ("1M", "bare", big.base + "/bench/bare-lookup/", big_env),
        ("100k", "lookup", small.base + "/api/v1/lookup/", small_env),
    ]


def warm_up(runs: list[Run]) -> None:
    """Each run once for LOOKUP_WARM_UP, so that every worker has read the nurses' tokens, the
    look-ups first; then a wait until the look-ups' minute is over.

    A nurse may make 30 look-ups a minute: a warm-up and the measured runs in one minute would
    pass that from about 1,000 look-ups a second (they did: 2,047 answered 429). Measuring the
    pages in the wait instead left the 1M server's caches to the pages and the 100k server's to
    the look-ups: 1M vs 100k fell from 0.92 to 0.82."""
    lookups_done = 0.0
    for _label, name, url, env in sorted(runs, key=lambda run: run[1] != "lookup"):
        wrk("lookup.lua", url, env, seconds=LOOKUP_WARM_UP)
        if name == "lookup":
            lookups_done = time.monotonic()
    wait = max(0.0, lookups_done + 60 - time.monotonic())
    say(f"  waiting {wait:.0f} s: the nurses' limit counts the warm-up's look-ups for a minute")
    time.sleep(wait)


def interleaved_lookups(figures: dict[str, dict[str, float]], runs: list[Run]) -> None:
    """The runs, one of each in turn; the ratios are those of each turn's runs (``paired``)."""
    results: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for _ in range(RUNS):
        for label, name, url, env in runs:
            results.setdefault((label, name), []).append(wrk("lookup.lua", url, env))
    for (label, name), values in results.items():
        spread(figures[label], f"{name}_rps", [rate for rate, _ in values])
        spread(figures[label], f"{name}_p95", [p95 for _, p95 in values])
    rates = {key: [rate for rate, _ in values] for key, values in results.items()}
    lookups = rates["1M", "lookup"]
    paired(figures["1M"], "lookup_vs_bare", lookups, rates["1M", "bare"])
    paired(figures["1M"], "lookup_1m_vs_100k", lookups, rates["100k", "lookup"])


def pages(big: Any) -> dict[str, float]:
    """The worklist, the board, the dashboard and the statistics at 1M, each as its user."""
    out: dict[str, float] = {}
    for name, path, who in [
        ("worklist", "/udskrivelser/", "nurse"),
        ("board", "/borgere/", "municipal"),
        ("dashboard", "/haendelser/overblik/", "risk"),
    ] + [(f"stats_{s}", f"/api/v1/stats/{s}/", "risk") for s in STATS]:
        env = {"BENCH_COOKIE": big.cookies[who]}
        wrk("get.lua", big.base + path, env, seconds=2)
        values = [wrk("get.lua", big.base + path, env) for _ in range(RUNS)]
        spread(out, f"{name}_rps", [rate for rate, _ in values])
        spread(out, f"{name}_p95", [p95 for _, p95 in values])
    return out
