"""The measurements `make bench` makes in its own process: sweeps, ingestion, summaries and
the raw SQL aggregate the statistics are compared with."""

import copy
import json
import statistics
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import connection
from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent
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


def paired(out: dict[str, float], name: str, values: list[float], baselines: list[float]) -> None:
    """Keep the ratios of runs made one right after the other, each to its own baseline, as
    ``spread`` does: a host whose speed drifts from minute to minute weighs on both runs of a
    pair alike, whereas a ratio of two medians may set a fast minute against a slow one."""
    spread(out, name, [value / baseline for value, baseline in zip(values, baselines, strict=True)])


def seconds(action: Callable[[], object], runs: int = 3) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


def sweep_once() -> float:
    """One full sweep with 1,000 rows due: 1,000 past windows are set open again first."""
    from handover.services import sweeps

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE handover_discharge SET status = 'active' WHERE id IN ("
            "SELECT id FROM handover_discharge WHERE status = 'expired' LIMIT 1000)"
        )
    started = time.perf_counter()
    sweeps.run_all(at=timezone.now())
    return time.perf_counter() - started


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


def in_process(
    figures: dict[str, dict[str, float]], big: Any, small: Any, using: Callable[[Any], Any]
) -> None:
    """The sweeps of both data sets, one of each in turn, and at 1M the raw SQL aggregate, the
    MedCom ingestion and the beat job's summary refresh."""
    timings: dict[str, list[float]] = {"1M": [], "100k": []}
    for _ in range(3):
        for data in (big, small):
            with using(data):
                timings[data.label].append(sweep_once())
    for label, values in timings.items():
        spread(figures[label], "sweep_s", values)
    paired(figures["1M"], "sweep_1m_vs_100k", timings["1M"], timings["100k"])
    with using(big):
        out = figures["1M"]
        with connection.cursor() as cursor:
            raw = seconds(lambda: cursor.execute(RAW_COMPLIANCE) or cursor.fetchall())
        spread(out, "raw_sql_ms", [1000 * value for value in raw])
        spread(out, "ingestion_mps", ingestion_rates())
        from incidents import summaries

        spread(out, "refresh_recent_s", seconds(summaries.refresh_recent))


def worker_rss_mb(master_pid: int) -> float:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    sizes = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return max(sizes)
