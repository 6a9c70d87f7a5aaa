"""`make bench`'s arithmetic: medians leave out the warm-up, ratios are per round, targets say PASS or MISS."""

from __future__ import annotations

import pytest

from bench_summary import (
    K_SHARE,
    agreement_note,
    agreement_verdict,
    check_targets,
    format_report,
    pipeline_medians,
    ratio_medians,
    round_ratios,
    top_nodes,
)

GIB = 2**30


def run(number: int, pipeline: str, wall: float, memory: float, ok: bool = True, **extra: object) -> dict:
    return {"round": number, "pipeline": pipeline, "ok": ok, "wall_seconds": wall, "peak_rss_bytes": memory, **extra}


def bench_runs() -> list[dict]:
    """A warm-up far off every median, then three rounds where (c) is 2x, 3x, 4x (b) in wall time."""
    runs = []
    for number, c_factor in ((0, 100.0), (1, 2.0), (2, 3.0), (3, 4.0)):
        runs += [
            run(number, "a", 20.0, 4 * GIB),
            run(number, "b", 10.0, 1 * GIB),
            run(number, "c", 10.0 * c_factor, 1.5 * GIB, fit_seconds=5.0, nodes={"fit": 5.0, "rfm": c_factor}),
            run(number, "d", 40.0, 2 * GIB, fit_seconds=9.0, nodes={"fit": 9.0, "rfm": 1.0}, ari=0.99),
        ]
    return runs


def test_medians_leave_out_the_warm_up() -> None:
    medians = pipeline_medians(bench_runs())
    assert medians["c"] == {"wall": 30.0, "memory": 1.5 * GIB}
    assert medians["a"] == {"wall": 20.0, "memory": 4 * GIB}


def test_ratios_are_per_round_and_their_median_is_taken() -> None:
    rows = round_ratios(bench_runs())
    assert [row["round"] for row in rows] == [1, 2, 3]
    assert [row["c/b wall"] for row in rows] == [2.0, 3.0, 4.0]
    assert [row["c/a wall"] for row in rows] == [1.0, 1.5, 2.0]
    assert rows[0]["d/b memory"] == 2.0
    assert rows[0]["c/a memory"] == pytest.approx(0.375)
    # choosing k: (d)'s fit minus (c)'s, over (d)'s wall time
    assert rows[0][K_SHARE] == pytest.approx(4.0 / 40.0)
    medians = ratio_medians(rows)
    assert medians["c/b wall"] == 3.0
    assert medians["d/b wall"] == 4.0


def test_a_failed_run_leaves_its_ratios_empty_not_wrong() -> None:
    runs = bench_runs()
    failed = next(r for r in runs if r["round"] == 2 and r["pipeline"] == "b")
    failed["ok"] = False
    rows = round_ratios(runs)
    assert rows[1]["c/b wall"] is None
    assert rows[1]["c/a wall"] == 1.5
    assert ratio_medians(rows)["c/b wall"] == 3.0  # median of rounds 1 and 3
    assert pipeline_medians(runs)["b"]["wall"] == 10.0


def test_targets_pass_and_miss_on_their_medians() -> None:
    runs = bench_runs()
    medians, ratios = pipeline_medians(runs), ratio_medians(round_ratios(runs))
    statuses = {result["target"]: result["status"] for result in check_targets("M", medians, ratios)}
    assert statuses == {"(c) <= 3x (b) wall": "PASS", "(d) <= 4x (b) wall": "PASS"}
    large = {result["target"]: (result["status"], result["value"]) for result in check_targets("L", medians, ratios)}
    assert large["(c) <= 2x (b) wall"] == ("MISS", 3.0)
    assert large["(c) <= 2x (b) peak memory"] == ("PASS", 1.5)
    assert large["(d) <= 3x (b) wall"] == ("MISS", 4.0)
    assert large["choosing k <= 15% of (d)"] == ("PASS", pytest.approx(0.1))
    small = check_targets("S", medians, ratios)
    assert [(r["status"], r["value"]) for r in small] == [("MISS", 30.0)]  # (c) takes 30 s, not <= 10 s


def test_a_target_without_measurements_is_not_a_pass() -> None:
    runs = [r for r in bench_runs() if r["pipeline"] != "b"]
    medians, ratios = pipeline_medians(runs), ratio_medians(round_ratios(runs))
    assert {r["status"] for r in check_targets("M", medians, ratios)} == {"n/a"}


def test_slowest_nodes_by_median_time() -> None:
    assert top_nodes(bench_runs(), "c") == [("fit", 5.0), ("rfm", 3.0)]
    assert top_nodes(bench_runs(), "c", count=1) == [("fit", 5.0)]


def test_report_shows_targets_and_warns_on_disagreement() -> None:
    runs = bench_runs()
    for record in runs:
        if record["pipeline"] == "c":
            record.update(ari=0.5 if record["round"] == 2 else 0.99, ari_customers=1000)
    report = format_report("M", runs)
    assert "PASS  (c) <= 3x (b) wall" in report
    assert "ARI (b) vs (c), round 2: 0.5000 on 1,000 common customers   <-- WARNING" in report
    assert "round 1: 0.9900 on 1,000 common customers\n" in report
    assert "targets: none at this size" in format_report("3000-customers", runs)


def test_a_low_ari_is_blamed_on_the_partition_with_the_higher_inertia() -> None:
    """(b) has one K-Means start: when it stops in a worse local minimum, (c) is not wrong for disagreeing."""
    base = {"round": 1, "pipeline": "c", "ari": 0.64, "ari_customers": 1000}
    stuck_floor = agreement_note({**base, "inertia_b": 115_098.0, "inertia_c": 102_785.0})
    assert stuck_floor.endswith("inertia (c) 102,785 vs (b) 115,098   <-- (b) in a worse local minimum")
    worse_project = {**base, "inertia_b": 102_785.0, "inertia_c": 115_098.0}
    assert agreement_verdict(worse_project) == "WARNING: (b) and (c) disagree"
    assert agreement_verdict({**base, "ari": 0.99}) == "agree"
    assert agreement_verdict({**base}) == "WARNING: (b) and (c) disagree"  # no inertia: nothing to excuse it
