"""The ranking method on small examples computed by hand (the expected
numbers are worked out in the comments, never by calling the code)."""

from __future__ import annotations

import math
from collections.abc import Hashable
from decimal import Decimal

import pytest

from hack365.judging.ranking import (
    CriterionSpec,
    EntryResult,
    ScoreInput,
    criterion_means,
    juror_totals,
    rank_entries,
)

ONE_TO_FIVE = CriterionSpec(id="k", weight=Decimal("1"), low=1, high=5)


def s(juror: str, entry: str, value: int, criterion: str = "k") -> ScoreInput:
    return ScoreInput(juror=juror, entry=entry, criterion=criterion, value=value)


# Three jurors, four solutions, one criterion on 1–5 (rescaled: 1→0, 2→.25,
# 3→.5, 4→.75, 5→1).
#   A is harsh and scores S1 and S2:      S1=3 (.5)   S2=1 (0)
#   B is lenient and scores S3 and S4:    S3=5 (1)    S4=4 (.75)
#   C scores all four:                    S1=4 (.75)  S2=3 (.5)  S3=3 (.5)  S4=2 (.25)
HAND_EXAMPLE = [
    s("A", "S1", 3),
    s("A", "S2", 1),
    s("B", "S3", 5),
    s("B", "S4", 4),
    s("C", "S1", 4),
    s("C", "S2", 3),
    s("C", "S3", 3),
    s("C", "S4", 2),
]


def by_entry(results: list[EntryResult]) -> dict[Hashable, EntryResult]:
    return {r.entry: r for r in results}


def test_hand_computed_example_raw_and_normalised_orders_differ() -> None:
    results = rank_entries(HAND_EXAMPLE, [ONE_TO_FIVE])
    got = by_entry(results)

    # Weighted totals, the mean over each entry's jurors:
    #   S1 = (.5 + .75) / 2 = .625     S2 = (0 + .5) / 2 = .25
    #   S3 = (1 + .5) / 2  = .75       S4 = (.75 + .25) / 2 = .5
    # Raw order: S3, S1, S4, S2 — S3 profits from the lenient juror B.
    assert got["S1"].weighted_total == pytest.approx(0.625)
    assert got["S2"].weighted_total == pytest.approx(0.25)
    assert got["S3"].weighted_total == pytest.approx(0.75)
    assert got["S4"].weighted_total == pytest.approx(0.5)

    # z-scores per juror (population standard deviation):
    #   A: mean (.5 + 0)/2 = .25, sd = sqrt(((.25)² + (.25)²)/2) = .25
    #      → S1 = (.5 - .25)/.25 = +1, S2 = -1
    #   B: mean (1 + .75)/2 = .875, sd = .125 → S3 = +1, S4 = -1
    #   C: mean (.75 + .5 + .5 + .25)/4 = .5,
    #      sd = sqrt((.0625 + 0 + 0 + .0625)/4) = sqrt(.03125) = .25/√2
    #      → S1 = .25/(.25/√2) = √2, S2 = 0, S3 = 0, S4 = -√2
    # Normalised totals:
    #   S1 = (1 + √2)/2 ≈ 1.2071     S2 = (-1 + 0)/2 = -.5
    #   S3 = (1 + 0)/2 = .5          S4 = (-1 - √2)/2 ≈ -1.2071
    # Normalised order: S1, S3, S2, S4.
    root2 = math.sqrt(2)
    assert got["S1"].normalised_total == pytest.approx((1 + root2) / 2)
    assert got["S2"].normalised_total == pytest.approx(-0.5)
    assert got["S3"].normalised_total == pytest.approx(0.5)
    assert got["S4"].normalised_total == pytest.approx((-1 - root2) / 2)

    assert [r.entry for r in results] == ["S1", "S3", "S2", "S4"]
    assert [r.rank for r in results] == [1, 2, 3, 4]
    assert not any(r.tied for r in results)
    assert [r.jurors for r in results] == [2, 2, 2, 2]
    raw_order = sorted(got, key=lambda e: -(got[e].weighted_total or 0))
    assert raw_order == ["S3", "S1", "S4", "S2"]


def test_weights_and_mixed_scales_are_rescaled_to_zero_one() -> None:
    criteria = [
        CriterionSpec(id="five", weight=Decimal("2"), low=1, high=5),
        CriterionSpec(id="ten", weight=Decimal("1"), low=1, high=10),
        CriterionSpec(id="yes", weight=Decimal("1"), low=0, high=1),
    ]
    scores = [
        s("A", "S1", 4, "five"),  # (4-1)/4 = .75
        s("A", "S1", 7, "ten"),  # (7-1)/9 = 2/3
        s("A", "S1", 1, "yes"),  # yes = 1
        s("A", "S2", 1, "five"),  # 0
        s("A", "S2", 10, "ten"),  # 1
        s("A", "S2", 0, "yes"),  # no = 0
    ]
    totals = juror_totals(scores, criteria)
    # S1: (2·.75 + 1·2/3 + 1·1) / (2+1+1) = (1.5 + .6667 + 1)/4 = 19/24 ≈ .7917
    # S2: (2·0 + 1·1 + 1·0) / 4 = .25
    assert totals["A"]["S1"] == pytest.approx(19 / 24)
    assert totals["A"]["S2"] == pytest.approx(0.25)
    results = rank_entries(scores, criteria)
    # One juror, two entries: z = ±1 (mean 13/24, deviation ±13/48 = sd).
    assert [(r.entry, r.rank) for r in results] == [("S1", 1), ("S2", 2)]
    assert results[0].normalised_total == pytest.approx(1.0)
    assert results[1].normalised_total == pytest.approx(-1.0)


def test_a_yes_no_criterion_alone() -> None:
    yes_no = CriterionSpec(id="k", weight=1, low=0, high=1)
    scores = [s("A", "S1", 1), s("A", "S2", 0), s("A", "S3", 0), s("B", "S2", 1)]
    got = by_entry(rank_entries(scores, [yes_no]))
    # A: 1, 0, 0 → mean 1/3, sd = sqrt(((2/3)² + 2·(1/3)²)/3) = sqrt(2/9) = √2/3
    #    z: S1 = (2/3)/(√2/3) = √2, S2 = S3 = (-1/3)/(√2/3) = -1/√2
    # B scored only S2 → contributes 0. S2 = (-1/√2 + 0)/2.
    assert got["S1"].normalised_total == pytest.approx(math.sqrt(2))
    assert got["S2"].normalised_total == pytest.approx(-1 / math.sqrt(2) / 2)
    assert got["S3"].normalised_total == pytest.approx(-1 / math.sqrt(2))
    assert got["S2"].weighted_total == pytest.approx(0.5)  # (0 + 1)/2
    assert [got[e].rank for e in ("S1", "S2", "S3")] == [1, 2, 3]


def test_ties_share_a_rank_and_the_next_is_skipped() -> None:
    scores = [
        s("A", "S1", 5),
        s("A", "S2", 3),
        s("A", "S3", 3),
        s("A", "S4", 1),
    ]
    results = rank_entries(scores, [ONE_TO_FIVE])
    # S2 and S3 have the same totals (z = 0 for both): "1, 2, 2, 4".
    assert [r.rank for r in results] == [1, 2, 2, 4]
    assert [r.tied for r in results] == [False, True, True, False]
    assert {results[1].entry, results[2].entry} == {"S2", "S3"}


def test_weighted_total_breaks_an_equal_normalised_total() -> None:
    # A gives S1 5 and S2 2; B gives S3 2 and S4 1. Both jurors: z = +1 / -1.
    # S1 and S3 have normalised total 1, but S1's weighted total (1) beats
    # S3's (.25); S2 and S4 have -1, and S2's .25 beats S4's 0: no tie.
    scores = [s("A", "S1", 5), s("A", "S2", 2), s("B", "S3", 2), s("B", "S4", 1)]
    results = rank_entries(scores, [ONE_TO_FIVE])
    assert [r.entry for r in results] == ["S1", "S3", "S2", "S4"]
    assert [r.rank for r in results] == [1, 2, 3, 4]
    assert not any(r.tied for r in results)


def test_near_equal_totals_within_tolerance_are_a_tie() -> None:
    # 0.1 + 0.2 is not exactly 0.3 in floating point; the tie must still show.
    crit = CriterionSpec(id="k", weight=1, low=0, high=1)
    results = rank_entries(
        [ScoreInput("A", "S1", "k", 0.1 + 0.2), ScoreInput("A", "S2", "k", 0.3)], [crit]
    )
    assert [r.rank for r in results] == [1, 1]
    assert all(r.tied for r in results)


def test_juror_with_no_spread_or_a_single_entry_contributes_zero() -> None:
    scores = [
        # A gives everything 3: sd 0 → z = 0 for S1 and S2.
        s("A", "S1", 3),
        s("A", "S2", 3),
        # B scored only S1 → z = 0.
        s("B", "S1", 5),
        # C separates them: S1=4, S2=2 → z = +1, -1.
        s("C", "S1", 4),
        s("C", "S2", 2),
    ]
    got = by_entry(rank_entries(scores, [ONE_TO_FIVE]))
    # S1 = (0 + 0 + 1)/3 = 1/3; S2 = (0 + -1)/2 = -.5
    assert got["S1"].normalised_total == pytest.approx(1 / 3)
    assert got["S2"].normalised_total == pytest.approx(-0.5)
    # Weighted: S1 = (.5 + 1 + .75)/3 = .75; S2 = (.5 + .25)/2 = .375
    assert got["S1"].weighted_total == pytest.approx(0.75)
    assert got["S2"].weighted_total == pytest.approx(0.375)
    assert got["S1"].jurors == 3
    assert got["S2"].jurors == 2


def test_every_juror_without_spread_falls_back_on_the_weighted_total() -> None:
    scores = [s("A", "S1", 4), s("B", "S2", 2)]
    results = rank_entries(scores, [ONE_TO_FIVE])
    assert [r.normalised_total for r in results] == [0.0, 0.0]
    assert [r.entry for r in results] == ["S1", "S2"]
    assert [r.rank for r in results] == [1, 2]


def test_a_missing_score_leaves_its_criterion_out() -> None:
    criteria = [
        CriterionSpec(id="a", weight=3, low=1, high=5),
        CriterionSpec(id="b", weight=1, low=1, high=5),
    ]
    # S1 has both: (3·1 + 1·0)/4 = .75. S2 lacks "b": 3·.5/3 = .5.
    scores = [s("A", "S1", 5, "a"), s("A", "S1", 1, "b"), s("A", "S2", 3, "a")]
    totals = juror_totals(scores, criteria)
    assert totals["A"] == {"S1": pytest.approx(0.75), "S2": pytest.approx(0.5)}


def test_entries_without_scores_come_last_unranked() -> None:
    results = rank_entries([s("A", "S1", 4)], [ONE_TO_FIVE], entries=["S1", "S9"])
    assert [(r.entry, r.rank, r.jurors) for r in results] == [("S1", 1, 1), ("S9", None, 0)]
    assert results[1].weighted_total is None
    assert results[1].normalised_total is None


def test_scores_of_unknown_criteria_are_ignored() -> None:
    results = rank_entries([s("A", "S1", 4, "gone")], [ONE_TO_FIVE], entries=["S1"])
    assert results[0].rank is None


def test_criterion_means_raw_and_normalised() -> None:
    means = criterion_means(HAND_EXAMPLE, [ONE_TO_FIVE])
    # S1: raw values 3 (A) and 4 (C) → mean 3.5. A's values 3, 1 → z +1;
    # C's values 4, 3, 3, 2 (mean 3, sd sqrt(2/4) = 1/√2) → S1 = 1/(1/√2) = √2.
    assert means["S1"]["k"].raw_mean == pytest.approx(3.5)
    assert means["S1"]["k"].normalised_mean == pytest.approx((1 + math.sqrt(2)) / 2)
    assert means["S1"]["k"].jurors == 2
    # S4: 4 (B) and 2 (C) → 3; B: 5, 4 → z -1; C: -√2.
    assert means["S4"]["k"].raw_mean == pytest.approx(3)
    assert means["S4"]["k"].normalised_mean == pytest.approx((-1 - math.sqrt(2)) / 2)


def test_an_empty_scale_is_refused() -> None:
    with pytest.raises(ValueError):
        CriterionSpec(id="x", weight=1, low=3, high=3).rescale(3)
