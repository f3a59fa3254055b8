"""The automatic assignment algorithm, property-based: coverage, no blocked
pair, existing assignments kept, and balance whenever the blocks allow it
(checked against a brute-force search on small cases)."""

from __future__ import annotations

import itertools
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from hack365.judging.assignment import Pair, auto_assign, pick_replacement


@st.composite
def cases(draw: st.DrawFn, max_entries: int = 12, max_jurors: int = 8) -> dict:
    entries = list(range(1, draw(st.integers(0, max_entries)) + 1))
    jurors = list(range(101, 101 + draw(st.integers(0, max_jurors))))
    pairs = [(e, j) for e in entries for j in jurors]
    blocked = draw(st.sets(st.sampled_from(pairs), max_size=len(pairs))) if pairs else set()
    free = [p for p in pairs if p not in blocked]
    existing = draw(st.sets(st.sampled_from(free), max_size=len(free))) if free else set()
    k = draw(st.integers(1, 5))
    return {"entries": entries, "jurors": jurors, "k": k, "existing": existing, "blocked": blocked}


def _loads(case: dict, new: list[Pair]) -> Counter[int]:
    loads: Counter[int] = Counter(dict.fromkeys(case["jurors"], 0))
    for _entry, juror in [*case["existing"], *new]:
        loads[juror] += 1
    return loads


def _spread(loads: Counter[int]) -> int:
    return max(loads.values()) - min(loads.values()) if loads else 0


def _needs(case: dict) -> dict[int, list[int]]:
    """Per entry: how many seats, and the jurors who may take them."""
    out = {}
    for entry in case["entries"]:
        eligible = [j for j in case["jurors"] if (entry, j) not in case["blocked"]]
        on = {j for e, j in case["existing"] if e == entry}
        out[entry] = [
            max(0, min(case["k"], len(eligible)) - len(on)),
            *[j for j in eligible if j not in on],
        ]
    return out


@settings(max_examples=300, deadline=None)
@given(cases())
def test_coverage_no_blocked_pair_and_existing_kept(case: dict) -> None:
    new = auto_assign(**case)
    assert len(new) == len(set(new)), "a pair is assigned twice"
    assert not set(new) & case["blocked"]
    assert not set(new) & case["existing"]
    everything = set(new) | case["existing"]
    for entry in case["entries"]:
        eligible = [j for j in case["jurors"] if (entry, j) not in case["blocked"]]
        on = {j for e, j in everything if e == entry}
        assert len(on) >= min(case["k"], len(eligible))
        # no more than needed is added
        existing_on = {j for e, j in case["existing"] if e == entry}
        assert len(on) == max(len(existing_on), min(case["k"], len(eligible)))


@settings(max_examples=300, deadline=None)
@given(cases())
def test_the_result_is_deterministic(case: dict) -> None:
    assert auto_assign(**case) == auto_assign(**case)
    shuffled = {**case, "entries": list(reversed(case["entries"])), "jurors": case["jurors"][::-1]}
    assert auto_assign(**shuffled) == auto_assign(**case)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(0, 30),
    st.integers(1, 12),
    st.integers(1, 6),
)
def test_without_blocks_loads_differ_by_at_most_one(entries: int, jurors: int, k: int) -> None:
    case = {
        "entries": list(range(entries)),
        "jurors": list(range(100, 100 + jurors)),
        "k": k,
        "existing": set(),
        "blocked": set(),
    }
    new = auto_assign(**case)
    assert _spread(_loads(case, new)) <= 1
    assert len(new) == entries * min(k, jurors)


def _options(case: dict) -> list[list[list[Pair]]]:
    """Per entry, every way to fill its seats."""
    needs = _needs(case)
    return [
        [
            [(entry, j) for j in combo]
            for combo in itertools.combinations(needs[entry][1:], needs[entry][0])
        ]
        for entry in case["entries"]
    ]


def _best_spread(case: dict) -> int:
    """The smallest max-min load any valid completion reaches (brute force)."""
    needs = _needs(case)
    options = [
        [
            [(entry, j) for j in combo]
            for combo in itertools.combinations(needs[entry][1:], needs[entry][0])
        ]
        for entry in case["entries"]
    ]
    best = None
    for choice in itertools.product(*options):
        new = [pair for group in choice for pair in group]
        spread = _spread(_loads(case, new))
        best = spread if best is None else min(best, spread)
    return best or 0


@settings(max_examples=400, deadline=None)
@given(cases(max_entries=4, max_jurors=4))
def test_balanced_whenever_the_blocks_allow(case: dict) -> None:
    new = auto_assign(**case)
    got = _spread(_loads(case, new))
    best = _best_spread(case)
    assert got >= best
    if best <= 1:
        assert got <= 1, f"spread {got} where {best} is possible"


@settings(max_examples=200, deadline=None)
@given(cases(max_entries=4, max_jurors=4))
def test_the_sum_of_squared_loads_is_minimal(case: dict) -> None:
    """No chain of moves would even the loads further (the flow optimum)."""
    needs = _needs(case)
    options = [
        [
            [(entry, j) for j in combo]
            for combo in itertools.combinations(needs[entry][1:], needs[entry][0])
        ]
        for entry in case["entries"]
    ]
    best = min(
        (
            sum(v * v for v in _loads(case, [p for g in choice for p in g]).values())
            for choice in itertools.product(*options)
        ),
        default=0,
    )
    got = sum(v * v for v in _loads(case, auto_assign(**case)).values())
    assert got == best


def test_a_hand_made_case() -> None:
    # juror 1 already carries two; entry 12 may only go to juror 1 or 3
    new = auto_assign(
        entries=[10, 11, 12],
        jurors=[1, 2, 3],
        k=1,
        existing={(10, 1), (11, 1)},
        blocked={(12, 2)},
    )
    assert new == [(12, 3)]


def test_nothing_without_jurors() -> None:
    assert auto_assign(entries=[1, 2], jurors=[], k=3) == []


def test_the_replacement_is_the_least_loaded_eligible_juror() -> None:
    loads = {1: 3, 2: 1, 3: 1, 4: 0}
    assert (
        pick_replacement(entry=9, jurors=[1, 2, 3, 4], loads=loads, on_entry=[1], blocked={(9, 4)})
        == 2
    )
    assert pick_replacement(entry=9, jurors=[1], loads=loads, on_entry=[1], blocked=set()) is None
