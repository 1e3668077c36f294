"""The measurements `make bench` makes in its own process: sweeps, ingestion, summaries and
the raw SQL aggregate the statistics are compared with."""

import io
import statistics
import subprocess
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import connection
from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent
MEDCOM = ROOT / "tests" / "data" / "medcom" / "hospitalnotification"
RAW_COMPLIANCE = """
    SELECT count(*), count(*) FILTER (WHERE d.documented_at <= d.discharged_at)
    FROM handover_discharge d JOIN contacts_ward w ON w.id = d.ward_id
    JOIN contacts_hospital h ON h.id = w.hospital_id
    WHERE d.covered AND h.region_id = 1084 AND d.discharged_at >= now() - interval '1 year'
"""


def wait_for(base: str, server: "subprocess.Popen[bytes]", seconds: float = 600) -> None:
    """Wait until the server answers its health check: a loaded machine may take minutes to
    start four workers. A server that exits instead is reported at once."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn at {base} exited with {server.returncode}")
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=5)  # noqa: S310 - loopback only
            return
        except OSError:  # refused or timed out while the workers boot
            time.sleep(0.5)
    raise SystemExit(f"gunicorn at {base} did not answer within {seconds:.0f} s")


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
    """MedCom discharge messages (MedCom's own SLHJ example, each with its own ids and patient)
    taken in per second in this process, ``runs`` times, after ``warm_up`` messages (the FHIR
    library loads its resource models at the first message)."""
    from django.core.management import call_command

    from accounts.models import User
    from contacts.demo import SOR_DEMO
    from handover.medcom import receive

    call_command("import_sor", SOR_DEMO, stdout=io.StringIO())
    example = (MEDCOM / "Bundle-f4aa42a4-86db-4e68-9b38-9dda0dfd5774.json").read_text()
    header, episode = "g1affa53-c157-4080-abb0-8e681524f969", "bd481c38-a921-11ed-afa1-0242ac120002"
    admin = User.objects.get(username="bench_admin")
    payloads = []
    for index in range(warm_up + runs * messages):
        text = example.replace(header, f"bench-{time.time_ns()}-{index}")
        text = text.replace(episode, f"bench-episode-{time.time_ns()}-{index}")
        payloads.append(text.replace("2509479989", cpr_for(index)).encode())

    def take(batch: list[bytes]) -> None:
        for payload in batch:
            reply = receive.receive(payload=payload, user=admin)
            if reply.status != 201:
                raise SystemExit(f"ingestion failed: {reply.body.get('detail')}")

    take(payloads[:warm_up])
    rates = []
    for run in range(runs):
        started = time.perf_counter()
        take(payloads[warm_up + run * messages : warm_up + (run + 1) * messages])
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
