"""The table of `make bench` and its targets (issue 27): budgets against the bare view and the
raw SQL aggregate measured in the same run, since hosts differ about 2× from run to run."""

import math
from typing import Any

STATS = ["compliance", "incidents", "calls"]


def row(
    name: str,
    value: float,
    unit: str,
    baseline: float | None,
    target: str,
    ok: bool,
    spread_of: tuple[dict[str, float], str] | None = None,
    ratio_of: tuple[dict[str, float], str] | None = None,
) -> dict[str, Any]:
    """One measurement; ``spread_of`` names the figures and key whose min and max it shows
    (a measurement made once has none, nor has one that stands for "no answer": infinity).
    The ratio is ``value / baseline``, or where runs were made in pairs the median of the
    pairs' ratios that ``ratio_of`` names (``measure.paired``), with their min and max."""
    figures, key = spread_of if spread_of and math.isfinite(value) else ({}, "")
    ratios, ratio_key = ratio_of or ({}, "")
    if ratio_of:
        ratio: float | None = ratios[ratio_key]
    else:
        ratio = value / baseline if baseline else None
    return {
        "name": name,
        "value": round_or_none(value),
        "min": round_or_none(figures.get(f"{key}_min")),
        "max": round_or_none(figures.get(f"{key}_max")),
        "unit": unit,
        "baseline": round_or_none(baseline),
        "ratio": round_or_none(ratio),
        "ratio_min": round_or_none(ratios.get(f"{ratio_key}_min")),
        "ratio_max": round_or_none(ratios.get(f"{ratio_key}_max")),
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
            big["generate_s"],
            "s",
            None,
            "< 180 s",
            big["generate_s"] < 180,
        ),
        row(
            "look-up API vs bare view (1M)",
            big["lookup_rps"],
            "req/s",
            big["bare_rps"],
            "ratio ≥ 0.3",
            big["lookup_vs_bare"] >= 0.3,
            (big, "lookup_rps"),
            (big, "lookup_vs_bare"),
        ),
        row(
            "look-up p95 (1M)",
            big["lookup_p95"],
            "ms",
            big["bare_p95"],
            "≤ 3.75× the bare view's p95",
            big["lookup_p95"] <= 3.75 * big["bare_p95"],
            (big, "lookup_p95"),
        ),
        row(
            "look-up 1M vs 100k",
            big["lookup_rps"],
            "req/s",
            small["lookup_rps"],
            "ratio ≥ 0.85",
            big["lookup_1m_vs_100k"] >= 0.85,
            (big, "lookup_rps"),
            (big, "lookup_1m_vs_100k"),
        ),
        row(
            "worklist HTML p95, 200 open rows",
            big["worklist_p95"],
            "ms",
            big["bare_p95"],
            "≤ 10× the bare view's p95",
            big["worklist_p95"] <= 10 * big["bare_p95"],
            (big, "worklist_p95"),
        ),
        row(
            "municipal board HTML p95, 200 open rows",
            big["board_p95"],
            "ms",
            big["bare_p95"],
            "≤ 10× the bare view's p95",
            big["board_p95"] <= 10 * big["bare_p95"],
            (big, "board_p95"),
        ),
        row(
            "dashboard p95, one year",
            dashboard_p95,
            "ms",
            big["raw_sql_ms"],
            "ratio ≤ 3",
            dashboard_p95 / big["raw_sql_ms"] <= 3,
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
                "ratio ≤ 3",
                p95 / big["raw_sql_ms"] <= 3,
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
            big["sweep_1m_vs_100k"] <= 1.5,
            (big, "sweep_s"),
            (big, "sweep_1m_vs_100k"),
        ),
        row(
            "FHIR ingestion, one process",
            big["ingestion_mps"],
            "msg/s",
            None,
            "≥ 100",
            big["ingestion_mps"] >= 100,
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
    """Median, min and max of the runs ("-" for a measurement made once), and of the ratios of
    runs made in pairs."""
    layout = "{:<42} {:>9} {:>9} {:>9} {:<6} {:>9} {:>7} {:>13}  {:<22} {}"
    header = ("measurement", "median", "min", "max", "unit", "baseline", "ratio", "ratio min-max")
    lines = [layout.format(*header, "target", "pass")]
    for r in results:
        cells = [r["value"], r["min"], r["max"], r["unit"], r["baseline"], r["ratio"]]
        shown = ["-" if cell is None else str(cell) for cell in cells]
        paired = "-" if r["ratio_min"] is None else f"{r['ratio_min']}-{r['ratio_max']}"
        verdict = "yes" if r["pass"] else "NO"
        lines.append(layout.format(r["name"], *shown, paired, r["target"], verdict))
    return "\n".join(lines)
