"""The arithmetic of `make bench`: medians, per-round ratios, the issue's targets and the printed table.

Kept apart from the runner so it can be tested without running anything. A run is a dict with
at least `round` (0 is the warm-up, never counted), `pipeline` ("a".."d"), `ok`, `wall_seconds`
and `peak_rss_bytes`; (c) and (d) runs also carry `fit_seconds` (int_segment_models_fitted's
execution time) and `nodes` (node -> execution seconds), and (c) runs `ari`.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass

PIPELINES = {
    "a": "notebook (pandas)",
    "b": "floor (one DuckDB query)",
    "c": "project k=5",
    "d": "project default",
}
MEASURES = {"wall": "wall_seconds", "memory": "peak_rss_bytes"}
RATIOS = [f"{top}/{bottom} {measure}" for measure in MEASURES for top in "cd" for bottom in "ab"]
K_SHARE = "choosing k share of (d)"
ARI_WARNING = 0.95
# (c) counts as worse than (b) only when its inertia is this much higher; below, a low ARI means
# (b)'s single K-Means start stopped in a worse local minimum than the project's restarts.
INERTIA_TOLERANCE = 1.001


def agreement_verdict(run: dict) -> str:
    """How (b) and (c) compare: agree, (b) stuck in a worse local minimum, or (c) worse (a warning)."""
    ari = run.get("ari")
    if ari is None:
        return "no ARI"
    if ari >= ARI_WARNING:
        return "agree"
    inertia_b, inertia_c = run.get("inertia_b"), run.get("inertia_c")
    if inertia_b is not None and inertia_c is not None and inertia_c <= inertia_b * INERTIA_TOLERANCE:
        return "(b) in a worse local minimum"
    return "WARNING: (b) and (c) disagree"


def agreement_note(run: dict) -> str:
    """The ARI, with both partitions' inertia when they disagree, e.g. for a progress line."""
    shown = "-" if run.get("ari") is None else f"{run['ari']:.4f}"
    line = f"{shown} on {run.get('ari_customers') or 0:,} common customers"
    verdict = agreement_verdict(run)
    if verdict not in ("agree", "no ARI"):
        if run.get("inertia_b") is not None:
            line += f", inertia (c) {run['inertia_c']:,.0f} vs (b) {run['inertia_b']:,.0f}"
        line += f"   <-- {verdict}"
    return line


@dataclass(frozen=True)
class Target:
    """One line of the issue's targets: metric <= limit, judged on its median over the rounds."""

    metric: str
    limit: float
    text: str


TARGETS: dict[str, list[Target]] = {
    "S": [Target("c wall", 10.0, "(c) <= 10 s")],
    "M": [Target("c/b wall", 3.0, "(c) <= 3x (b) wall"), Target("d/b wall", 4.0, "(d) <= 4x (b) wall")],
    "L": [
        Target("c/b wall", 2.0, "(c) <= 2x (b) wall"),
        Target("c/b memory", 2.0, "(c) <= 2x (b) peak memory"),
        Target("d/b wall", 3.0, "(d) <= 3x (b) wall"),
        Target(K_SHARE, 0.15, "choosing k <= 15% of (d)"),
    ],
}


def median(values: Iterable[float | None]) -> float | None:
    """The median of the values that exist; None when there are none."""
    present = [value for value in values if value is not None]
    return statistics.median(present) if present else None


def measured(runs: list[dict], pipeline: str) -> list[dict]:
    """The successful runs of one pipeline, warm-up excluded."""
    return [run for run in runs if run["pipeline"] == pipeline and run["round"] > 0 and run["ok"]]


def pipeline_medians(runs: list[dict]) -> dict[str, dict[str, float | None]]:
    """Per pipeline: median wall seconds and median peak RSS bytes over the measured rounds."""
    return {
        pipeline: {measure: median(run[key] for run in measured(runs, pipeline)) for measure, key in MEASURES.items()}
        for pipeline in PIPELINES
    }


def _ratio(top: float | None, bottom: float | None) -> float | None:
    return top / bottom if top is not None and bottom else None


def round_ratios(runs: list[dict]) -> list[dict[str, float | int | None]]:
    """For each measured round: (c) and (d) over (a) and (b), in wall time and memory, and the k share.

    The k share is what choosing k adds to int_segment_models_fitted ((d)'s time minus (c)'s, where k is
    fixed) as a share of (d)'s wall time. A failed run gives None for every ratio that needs it.
    """
    rounds = sorted({run["round"] for run in runs if run["round"] > 0})
    table = []
    for number in rounds:
        by_pipeline = {run["pipeline"]: run for run in runs if run["round"] == number and run["ok"]}
        row: dict[str, float | int | None] = {"round": number}
        for name in RATIOS:
            pair, measure = name.split()
            top, bottom = (by_pipeline.get(p, {}).get(MEASURES[measure]) for p in pair.split("/"))
            row[name] = _ratio(top, bottom)
        c, d = by_pipeline.get("c", {}), by_pipeline.get("d", {})
        fits = (d.get("fit_seconds"), c.get("fit_seconds"), d.get("wall_seconds"))
        row[K_SHARE] = (fits[0] - fits[1]) / fits[2] if None not in fits and fits[2] else None
        table.append(row)
    return table


def ratio_medians(rows: list[dict]) -> dict[str, float | None]:
    """The median of each per-round ratio."""
    return {name: median(row[name] for row in rows) for name in [*RATIOS, K_SHARE]}


def metric_value(
    metric: str, medians: dict[str, dict[str, float | None]], ratios: dict[str, float | None]
) -> float | None:
    """A target's metric: a ratio median, or a pipeline's median ("c wall" is seconds)."""
    if metric in ratios:
        return ratios[metric]
    pipeline, measure = metric.split()
    return medians[pipeline][measure]


def check_targets(
    size: str, medians: dict[str, dict[str, float | None]], ratios: dict[str, float | None]
) -> list[dict[str, object]]:
    """Each target of this size with its median value and PASS, MISS, or n/a when a run failed."""
    results = []
    for target in TARGETS.get(size, []):
        value = metric_value(target.metric, medians, ratios)
        status = "n/a" if value is None else ("PASS" if value <= target.limit else "MISS")
        results.append(
            {"target": target.text, "metric": target.metric, "limit": target.limit, "value": value, "status": status}
        )
    return results


def top_nodes(runs: list[dict], pipeline: str, count: int = 5) -> list[tuple[str, float]]:
    """The slowest dbt nodes of a pipeline, by their median execution time over the measured rounds."""
    times: dict[str, list[float]] = {}
    for run in measured(runs, pipeline):
        for node, seconds in run.get("nodes", {}).items():
            times.setdefault(node, []).append(seconds)
    medians = {node: statistics.median(values) for node, values in times.items()}
    return sorted(medians.items(), key=lambda item: item[1], reverse=True)[:count]


def format_bytes(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value / 2**30:.1f} GiB" if value >= 2**30 else f"{value / 2**20:.0f} MiB"


def format_number(value: float | None, unit: str = "") -> str:
    return "-" if value is None else f"{value:.2f}{unit}"


def format_report(size: str, runs: list[dict]) -> str:
    """The table printed at the end: medians, ratio medians, ARI, slowest nodes, and the targets."""
    medians = pipeline_medians(runs)
    rows = round_ratios(runs)
    ratios = ratio_medians(rows)
    lines = [
        f"medians over {len(rows)} round{'s' * (len(rows) != 1)} ({size})",
        "",
        f"{'run':<30}{'wall':>10}{'peak RSS':>12}",
    ]
    for pipeline, name in PIPELINES.items():
        label = f"({pipeline}) {name}"
        wall = format_number(medians[pipeline]["wall"], " s")
        lines.append(f"{label:<30}{wall:>10}{format_bytes(medians[pipeline]['memory']):>12}")
    lines += ["", f"{'ratio':<30}{'median':>10}   per round"]
    for name in [*RATIOS, K_SHARE]:
        per_round = "  ".join(format_number(row[name]) for row in rows)
        lines.append(f"{name:<30}{format_number(ratios[name]):>10}   {per_round}")
    lines.append("")
    for run in measured(runs, "c"):
        lines.append(f"ARI (b) vs (c), round {run['round']}: {agreement_note(run)}")
    for pipeline in "cd":
        lines += ["", f"slowest nodes of ({pipeline}), median seconds"]
        lines += [f"  {seconds:8.2f}  {node}" for node, seconds in top_nodes(runs, pipeline)]
    targets = check_targets(size, medians, ratios)
    lines += [
        "",
        f"targets at {size}" if targets else f"targets: none at this size (they are set for {', '.join(TARGETS)})",
    ]
    for result in targets:
        lines.append(f"  {result['status']:<5} {result['target']:<30} median {format_number(result['value'])}")
    return "\n".join(lines)
