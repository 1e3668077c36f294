"""The measurements of `make bench` and their targets (issue 8)."""

import copy
import json
import math
import statistics
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import connection
from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent
STATS = ["compliance", "incidents", "calls"]
RAW_COMPLIANCE = """
    SELECT count(*), count(*) FILTER (WHERE d.documented_at <= d.discharged_at)
    FROM handover_discharge d JOIN contacts_ward w ON w.id = d.ward_id
    JOIN contacts_hospital h ON h.id = w.hospital_id
    WHERE d.covered AND h.region_id = 1084 AND d.discharged_at >= now() - interval '1 year'
"""


def wait_for(base: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=1)  # noqa: S310 - loopback only
            return
        except OSError:  # refused or timed out while the workers boot
            time.sleep(0.3)
    raise SystemExit("gunicorn did not start")


def spread(out: dict[str, float], name: str, values: list[float]) -> None:
    """Keep the median of ``values`` as ``name``, with ``name_min`` and ``name_max``."""
    out[name] = statistics.median(values)
    out[f"{name}_min"], out[f"{name}_max"] = min(values), max(values)


def seconds(action: Callable[[], object], runs: int = 3) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


def sweep_seconds() -> list[float]:
    """One full sweep with 1,000 rows due, three times: 1,000 past windows are set open again
    before each run."""
    from handover.services import sweeps

    def one_sweep() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE handover_discharge SET status = 'active' WHERE id IN ("
                "SELECT id FROM handover_discharge WHERE status = 'expired' LIMIT 1000)"
            )
        started = time.perf_counter()
        sweeps.run_all(at=timezone.now())
        timings.append(time.perf_counter() - started)

    timings: list[float] = []
    for _ in range(3):
        one_sweep()
    return timings


def cpr_for(index: int) -> str:
    """A different adult for each index below 4,000: born 1950-53 (a seventh digit of 0-3 keeps
    the birth year in the 1900s)."""
    birth = f"{1 + index % 28:02d}{1 + index % 9:02d}5{index // 252 % 4}"
    return f"{birth}{index // 1000 % 4}{index % 1000:03d}"


def ingestion_rates(messages: int = 200, runs: int = 3, warm_up: int = 20) -> list[float]:
    """Messages per second in this process, ``runs`` times, after ``warm_up`` messages (the
    FHIR library loads its resource models at the first message)."""
    from accounts.models import User
    from handover.fhir import importer

    example = json.loads((ROOT / "tests/handover/data/hospital_notification_slhj.json").read_text())
    admin = User.objects.get(username="bench_admin")
    payloads = []
    for index in range(warm_up + runs * messages):
        bundle = copy.deepcopy(example)
        header_id = f"bench-{time.time_ns()}-{index}"
        for entry in bundle["entry"]:
            resource = entry["resource"]
            if resource["resourceType"] == "MessageHeader":
                resource["id"] = header_id
                entry["fullUrl"] = entry["fullUrl"].rsplit("/", 1)[0] + "/" + header_id
            elif resource["resourceType"] == "Provenance":
                resource["target"][0]["reference"] = f"MessageHeader/{header_id}"
            elif resource["resourceType"] == "Patient":
                resource["identifier"][0]["value"] = cpr_for(index)
        payloads.append(json.dumps(bundle).encode())

    def receive(batch: list[bytes]) -> None:
        for payload in batch:
            outcome = importer.receive(payload=payload, user=admin)
            if outcome.result != "created":
                raise SystemExit(f"ingestion failed: {outcome.error}")

    receive(payloads[:warm_up])
    rates = []
    for run in range(runs):
        started = time.perf_counter()
        receive(payloads[warm_up + run * messages : warm_up + (run + 1) * messages])
        rates.append(messages / (time.perf_counter() - started))
    return rates


def round(
    label: str,
    wrk: Callable[..., tuple[list[float], list[float]]],
    base: str,
    token: str,
    cookies: dict[str, str],
    *,
    full: bool,
) -> dict[str, float]:
    from handover.models import Discharge

    cprs = ",".join(
        Discharge.objects.filter(municipality_id="163", status="active").values_list(
            "patient__cpr", flat=True
        )[:200]
    )
    lookup_env = {"BENCH_TOKEN": token, "BENCH_CPRS": cprs}
    out: dict[str, float] = {}

    def load(name: str, script: str, path: str, env: dict[str, str]) -> None:
        rates, p95s = wrk(script, base + path, env)
        spread(out, f"{name}_rps", rates)
        spread(out, f"{name}_p95", p95s)

    load("lookup", "lookup.lua", "/api/v1/lookup/", lookup_env)
    spread(out, "sweep_s", sweep_seconds())
    if not full:
        return out
    load("bare", "lookup.lua", "/bench/bare-lookup/", lookup_env)
    for name, path, who in [
        ("worklist", "/udskrivelser/", "nurse"),
        ("board", "/borgere/", "municipal"),
        ("dashboard", "/haendelser/overblik/", "risk"),
    ] + [(f"stats_{s}", f"/api/v1/stats/{s}/", "risk") for s in STATS]:
        load(name, "get.lua", path, {"BENCH_COOKIE": cookies[who]})
    with connection.cursor() as cursor:
        raw = seconds(lambda: cursor.execute(RAW_COMPLIANCE) or cursor.fetchall())
    spread(out, "raw_sql_ms", [1000 * value for value in raw])
    spread(out, "ingestion_mps", ingestion_rates())
    from incidents import summaries

    spread(out, "refresh_recent_s", seconds(summaries.refresh_recent))
    return out


def worker_rss_mb(master_pid: int) -> float:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    sizes = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return max(sizes)


def row(
    name: str,
    value: float,
    unit: str,
    baseline: float | None,
    target: str,
    ok: bool,
    spread_of: tuple[dict[str, float], str] | None = None,
) -> dict[str, Any]:
    """One measurement; ``spread_of`` names the figures and key whose min and max it shows
    (a measurement made once has none, nor has one that stands for "no answer": infinity)."""
    ratio = round_or_none(value / baseline) if baseline else None
    figures, key = spread_of if spread_of and math.isfinite(value) else ({}, "")
    return {
        "name": name,
        "value": round_or_none(value),
        "min": round_or_none(figures.get(f"{key}_min")),
        "max": round_or_none(figures.get(f"{key}_max")),
        "unit": unit,
        "baseline": round_or_none(baseline),
        "ratio": ratio,
        "target": target,
        "pass": ok,
    }


def round_or_none(value: float | None) -> float | None:
    return None if value is None else float(f"{value:.3g}")


def report(figures: dict[str, dict[str, float]]) -> list[dict[str, Any]]:
    small, big = figures["100k"], figures["1M"]
    # A run whose every request timed out has no latency samples: p95 reads 0, not a pass.
    dashboard_p95 = big["dashboard_p95"] if big["dashboard_rps"] > 0 else float("inf")
    rows = [
        row(
            "generate 1M discharges",
            small["generate_s"] + big["generate_s"],
            "s",
            None,
            "< 180 s",
            small["generate_s"] + big["generate_s"] < 180,
        ),
        row(
            "look-up API vs bare view (1M)",
            big["lookup_rps"],
            "req/s",
            big["bare_rps"],
            "ratio ≥ 0.5",
            big["lookup_rps"] / big["bare_rps"] >= 0.5,
            (big, "lookup_rps"),
        ),
        row(
            "look-up p95 (1M)",
            big["lookup_p95"],
            "ms",
            None,
            "≤ 30 ms",
            big["lookup_p95"] <= 30,
            (big, "lookup_p95"),
        ),
        row(
            "look-up 1M vs 100k",
            big["lookup_rps"],
            "req/s",
            small["lookup_rps"],
            "ratio ≥ 0.85",
            big["lookup_rps"] / small["lookup_rps"] >= 0.85,
            (big, "lookup_rps"),
        ),
        row(
            "worklist HTML p95, 200 open rows",
            big["worklist_p95"],
            "ms",
            None,
            "≤ 80 ms",
            big["worklist_p95"] <= 80,
            (big, "worklist_p95"),
        ),
        row(
            "municipal board HTML p95, 200 open rows",
            big["board_p95"],
            "ms",
            None,
            "≤ 80 ms",
            big["board_p95"] <= 80,
            (big, "board_p95"),
        ),
        row(
            "dashboard p95, one year",
            dashboard_p95,
            "ms",
            big["raw_sql_ms"],
            "≤ 300 ms, ratio ≤ 3",
            dashboard_p95 <= 300 and dashboard_p95 / big["raw_sql_ms"] <= 3,
            (big, "dashboard_p95"),
        ),
    ]
    for name in STATS:
        p95 = big[f"stats_{name}_p95"] if big[f"stats_{name}_rps"] > 0 else float("inf")
        rows.append(
            row(
                f"stats/{name} p95",
                p95,
                "ms",
                big["raw_sql_ms"],
                "≤ 300 ms, ratio ≤ 3",
                p95 <= 300 and p95 / big["raw_sql_ms"] <= 3,
                (big, f"stats_{name}_p95"),
            )
        )
    rows += [
        row(
            "summary tables, full rebuild (1M)",
            big["summaries_s"],
            "s",
            None,
            "≤ 120 s (nightly)",
            big["summaries_s"] <= 120,
        ),
        row(
            "summary refresh, beat job (2 months)",
            big["refresh_recent_s"],
            "s",
            None,
            "≤ 10 s (every 5 min)",
            big["refresh_recent_s"] <= 10,
            (big, "refresh_recent_s"),
        ),
        row(
            "sweep, 1,000 due (1M)",
            big["sweep_s"],
            "s",
            None,
            "≤ 1 s",
            big["sweep_s"] <= 1,
            (big, "sweep_s"),
        ),
        row(
            "sweep 1M vs 100k",
            big["sweep_s"],
            "s",
            small["sweep_s"],
            "ratio ≤ 1.5",
            big["sweep_s"] / small["sweep_s"] <= 1.5,
            (big, "sweep_s"),
        ),
        row(
            "FHIR ingestion, one process",
            big["ingestion_mps"],
            "msg/s",
            None,
            "≥ 200",
            big["ingestion_mps"] >= 200,
            (big, "ingestion_mps"),
        ),
        row(
            "web worker RSS after the run",
            big["rss_mb"],
            "MB",
            None,
            "≤ 200 MB",
            big["rss_mb"] <= 200,
        ),
        row(
            "failed requests in all runs",
            big.get("failed_requests", 0),
            "req",
            None,
            "0",
            big.get("failed_requests", 0) == 0,
        ),
    ]
    return rows


def table(results: list[dict[str, Any]]) -> str:
    """Median, min and max of the runs ("-" for a measurement made once)."""
    layout = "{:<42} {:>9} {:>9} {:>9} {:<6} {:>9} {:>7}  {:<22} {}"
    header = ("measurement", "median", "min", "max", "unit", "baseline", "ratio", "target", "pass")
    lines = [layout.format(*header)]
    for r in results:
        cells = [r["value"], r["min"], r["max"], r["unit"], r["baseline"], r["ratio"]]
        shown = ["-" if cell is None else str(cell) for cell in cells]
        verdict = "yes" if r["pass"] else "NO"
        lines.append(layout.format(r["name"], *shown, r["target"], verdict))
    return "\n".join(lines)
