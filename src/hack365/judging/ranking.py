"""The ranking of a round's entries: pure functions, no database.

The method, step by step (the results page explains it in plain words):

1. **Rescale each criterion to 0–1** by its scale's bounds: a value ``v`` on
   a scale from ``low`` to ``high`` becomes ``(v - low) / (high - low)``. So
   a 4 on 1–5 is 0.75, a 7 on 1–10 is 6/9 ≈ 0.667 and "yes" (1 on 0–1) is
   1: criteria on different scales mix fairly.
2. **A juror's weighted total for an entry** is the weighted mean of those
   rescaled values, ``Σ wᶜ·rᶜ / Σ wᶜ`` over the criteria the juror scored
   (normally all of them; a missing score leaves its criterion out and the
   other weights count for the whole), so it lies between 0 and 1.
3. **The entry's weighted total** is the mean of its jurors' weighted totals.
4. **Normalising per juror.** Each juror's weighted totals over all the
   entries they scored are turned into z-scores: ``(t - m) / s`` with ``m``
   their mean and ``s`` their *population* standard deviation. A harsh and a
   lenient juror thus weigh the same: what counts is how a juror ranks an
   entry against the other entries they scored, not their habit of giving
   high or low marks. A juror whose totals are all equal (``s = 0``) or who
   scored only one entry tells nothing about relative merit and contributes
   0 (neither up nor down) to each of their entries.
5. **The entry's normalised total** is the mean of its jurors' z-scores.
6. **Rank** by normalised total, highest first; the weighted total breaks
   a tie in the normalised total. Entries whose normalised *and* weighted
   totals are equal (within ``TIE_TOLERANCE``) are a tie: they share a rank
   and the next rank is skipped ("1, 2, 2, 4"). Entries nobody scored come
   last, without a rank.

Nothing is rounded here; round only for display."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

TIE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class CriterionSpec:
    id: Hashable
    weight: Decimal | float | int
    low: int
    high: int

    def rescale(self, value: float) -> float:
        """The value on 0–1 (the scale's lowest value is 0, its highest 1)."""
        if self.high <= self.low:
            raise ValueError(f"criterion {self.id!r}: empty scale {self.low}..{self.high}")
        return (float(value) - self.low) / (self.high - self.low)


@dataclass(frozen=True)
class ScoreInput:
    juror: Hashable
    entry: Hashable
    criterion: Hashable
    value: float | int


@dataclass(frozen=True)
class EntryResult:
    entry: Hashable
    rank: int | None  # None: nobody scored the entry
    tied: bool  # shares its rank with another entry
    weighted_total: float | None  # 0–1
    normalised_total: float | None  # mean z-score (0 = the jurors' average)
    jurors: int


@dataclass(frozen=True)
class CriterionMean:
    criterion: Hashable
    raw_mean: float  # the mean of the values as given, on the criterion's own scale
    normalised_mean: float  # the mean of the jurors' z-scores on this criterion
    jurors: int


def _z_scores(values: dict[Hashable, float]) -> dict[Hashable, float]:
    """Population z-scores of one juror's values; all 0 when the standard
    deviation is 0 or there is only one value."""
    if len(values) < 2:
        return dict.fromkeys(values, 0.0)
    mean = math.fsum(values.values()) / len(values)
    variance = math.fsum((v - mean) ** 2 for v in values.values()) / len(values)
    sd = math.sqrt(variance)
    if sd <= TIE_TOLERANCE:
        return dict.fromkeys(values, 0.0)
    return {key: (v - mean) / sd for key, v in values.items()}


def juror_totals(
    scores: Iterable[ScoreInput], criteria: Sequence[CriterionSpec]
) -> dict[Hashable, dict[Hashable, float]]:
    """``{juror: {entry: weighted total (0–1)}}`` (step 2)."""
    specs = {c.id: c for c in criteria}
    sums: dict[tuple[Hashable, Hashable], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for score in scores:
        spec = specs.get(score.criterion)
        if spec is None:
            continue
        weight = float(spec.weight)
        acc = sums[(score.juror, score.entry)]
        acc[0] += weight * spec.rescale(score.value)
        acc[1] += weight
    totals: dict[Hashable, dict[Hashable, float]] = defaultdict(dict)
    for (juror, entry), (weighted, weights) in sums.items():
        if weights > 0:
            totals[juror][entry] = weighted / weights
    return dict(totals)


def rank_entries(
    scores: Iterable[ScoreInput],
    criteria: Sequence[CriterionSpec],
    entries: Iterable[Hashable] = (),
) -> list[EntryResult]:
    """Every entry with its rank, best first (see the module's docstring).
    ``entries`` adds entries without scores (listed last, unranked)."""
    totals = juror_totals(scores, criteria)
    raw: dict[Hashable, list[float]] = defaultdict(list)
    normalised: dict[Hashable, list[float]] = defaultdict(list)
    for per_entry in totals.values():
        z = _z_scores(per_entry)
        for entry, total in per_entry.items():
            raw[entry].append(total)
            normalised[entry].append(z[entry])
    scored = [
        (
            entry,
            math.fsum(normalised[entry]) / len(normalised[entry]),
            math.fsum(raw[entry]) / len(raw[entry]),
            len(raw[entry]),
        )
        for entry in raw
    ]
    scored.sort(key=lambda item: (-item[1], -item[2], str(item[0])))
    results: list[EntryResult] = []
    groups: list[list[tuple[Hashable, float, float, int]]] = []
    for item in scored:
        if groups:
            first = groups[-1][0]
            if (
                abs(first[1] - item[1]) <= TIE_TOLERANCE
                and abs(first[2] - item[2]) <= TIE_TOLERANCE
            ):
                groups[-1].append(item)
                continue
        groups.append([item])
    position = 1
    for group in groups:
        for entry, norm, weighted, count in group:
            results.append(
                EntryResult(
                    entry=entry,
                    rank=position,
                    tied=len(group) > 1,
                    weighted_total=weighted,
                    normalised_total=norm,
                    jurors=count,
                )
            )
        position += len(group)
    seen = set(raw)
    for entry in entries:
        if entry not in seen:
            seen.add(entry)
            results.append(
                EntryResult(
                    entry=entry,
                    rank=None,
                    tied=False,
                    weighted_total=None,
                    normalised_total=None,
                    jurors=0,
                )
            )
    return results


def criterion_means(
    scores: Iterable[ScoreInput], criteria: Sequence[CriterionSpec]
) -> dict[Hashable, dict[Hashable, CriterionMean]]:
    """``{entry: {criterion: CriterionMean}}`` for feedback: per criterion the
    mean of the values as given, and the mean of the jurors' z-scores on that
    criterion (each juror's values on the criterion over the entries they
    scored, normalised as in step 4, with the same rule for ``s = 0``)."""
    specs = {c.id: c for c in criteria}
    by_juror: dict[tuple[Hashable, Hashable], dict[Hashable, float]] = defaultdict(dict)
    for score in scores:
        if score.criterion in specs:
            by_juror[(score.juror, score.criterion)][score.entry] = float(score.value)
    values: dict[tuple[Hashable, Hashable], list[float]] = defaultdict(list)
    zs: dict[tuple[Hashable, Hashable], list[float]] = defaultdict(list)
    for (_juror, criterion), per_entry in by_juror.items():
        z = _z_scores(per_entry)
        for entry, value in per_entry.items():
            values[(entry, criterion)].append(value)
            zs[(entry, criterion)].append(z[entry])
    out: dict[Hashable, dict[Hashable, CriterionMean]] = defaultdict(dict)
    for (entry, criterion), given in values.items():
        out[entry][criterion] = CriterionMean(
            criterion=criterion,
            raw_mean=math.fsum(given) / len(given),
            normalised_mean=math.fsum(zs[(entry, criterion)]) / len(given),
            jurors=len(given),
        )
    return dict(out)
