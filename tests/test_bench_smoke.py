"""A 1,000-row run of the benchmark's generator and in-process measurements, so that `make
bench` keeps working (the benchmark itself is a command, not a test)."""

from accounts.models import Role
from bench import measure, report
from bench.generate import generate
from contacts.demo import HERLEV_CARDIOLOGY, seed_directory
from contacts.models import Ward
from handover import rules
from handover.models import AccessAction, AccessLog, Alert, Call, Discharge, Patient
from incidents import summaries
from incidents.models import Incident
from tests.factories import UserFactory


def test_generator_and_sweep_at_1000_rows(require_postgres) -> None:  # type: ignore[no-untyped-def]
    seed_directory()
    ward = Ward.objects.get(sor_code=HERLEV_CARDIOLOGY)
    admin = UserFactory(role=Role.ADMIN, ward=None, username="bench_admin")
    lines: list[str] = []
    generate(
        discharges=1000,
        reporter_id=admin.pk,
        reader_ids=[admin.pk],
        focus_ward_id=ward.pk,
        progress=lines.append,
    )
    assert Discharge.objects.count() == 1000
    assert Patient.objects.count() == 600
    assert Discharge.objects.filter(status__in=["active", "extended"]).count() == 1000
    assert Discharge.objects.filter(ward=ward, municipality_id="163").count() == 200
    open_now = Discharge.objects.filter(status__in=["active", "extended"])
    assert open_now.filter(ward__hospital=ward.hospital).count() == 200
    assert open_now.filter(municipality_id="163").count() == 200
    assert Call.objects.exists()
    assert Incident.objects.count() == 100
    assert Alert.objects.filter(resolved_at__isnull=True).exists()
    assert len(lines) == 7  # six steps and the indexes built again
    # Second round: history only, no new open windows.
    first_round_last = AccessLog.objects.order_by("-id").values_list("id", flat=True)[0]
    generate(
        discharges=2000,
        reporter_id=admin.pk,
        reader_ids=[admin.pk],
        focus_ward_id=ward.pk,
        progress=lines.append,
    )
    assert Discharge.objects.count() == 3000
    assert Discharge.objects.filter(status="expired").exists()
    assert AccessLog.objects.filter(action=AccessAction.LOOKUP, user=admin).exists()
    second_round = AccessLog.objects.filter(id__gt=first_round_last).order_by("id")
    moments = list(second_round.values_list("at", flat=True))
    assert moments == sorted(moments)  # written in the order they happened
    assert measure.sweep_once() < 5
    rates = measure.ingestion_rates(messages=5, warm_up=2)
    assert len(rates) == 3
    assert min(rates) > 0
    assert summaries.refresh_recent() > 0


def test_the_table_shows_min_and_max_only_for_repeated_measurements() -> None:
    figures: dict[str, float] = {}
    measure.spread(figures, "sweep_s", [0.3, 0.1, 0.2])
    rows = [
        report.row("sweep", figures["sweep_s"], "s", None, "≤ 1 s", True, (figures, "sweep_s")),
        report.row("rss", 110.0, "MB", None, "≤ 200 MB", True),
        report.row("timeouts", float("inf"), "ms", None, "≤ 300 ms", False, (figures, "sweep_s")),
    ]
    assert rows[0]["value"] == 0.2
    assert (rows[0]["min"], rows[0]["max"]) == (0.1, 0.3)
    lines = report.table(rows).splitlines()
    assert lines[0].split()[1:4] == ["median", "min", "max"]
    assert lines[1].split()[1:4] == ["0.2", "0.1", "0.3"]
    assert lines[2].split()[1:4] == ["110.0", "-", "-"]
    assert lines[3].split()[1:4] == ["inf", "-", "-"]


def test_a_ratio_of_paired_runs_is_the_median_of_each_pairs_ratio() -> None:
    """Three turns on a host that ran slow, fast, then middling: each turn's ratio is near 0.5,
    while the median look-up over the median baseline sets turn 3 against turn 2."""
    figures: dict[str, float] = {}
    lookups, bare = [592.0, 824.0, 769.0], [1086.0, 1563.0, 1611.0]
    measure.spread(figures, "lookup_rps", lookups)
    measure.paired(figures, "lookup_vs_bare", lookups, bare)
    paired = report.row(
        "look-up",
        769.0,
        "req/s",
        1563.0,
        "ratio ≥ 0.5",
        True,
        (figures, "lookup_rps"),
        (figures, "lookup_vs_bare"),
    )
    assert (paired["ratio"], paired["ratio_min"], paired["ratio_max"]) == (0.527, 0.477, 0.545)
    assert report.row("rss", 110.0, "MB", 100.0, "", True)["ratio"] == 1.1
    assert report.table([paired]).splitlines()[1].split()[6:8] == ["0.527", "0.477-0.545"]


def test_ingestion_patients_are_distinct_adults() -> None:
    numbers = [rules.parse_cpr(measure.cpr_for(index)) for index in range(4000)]
    assert len({cpr.number for cpr in numbers}) == 4000
    assert {cpr.birth_date.year for cpr in numbers} == {1950, 1951, 1952, 1953}
