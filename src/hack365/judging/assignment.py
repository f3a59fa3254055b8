"""Automatic jury assignment, as a pure function over ids.

Each entry is to get at least ``k`` jurors (or every eligible juror when
fewer exist), never one who is blocked for it (a declared conflict of
interest, a recusal, membership of the solution's team), keeping every
existing assignment, with the jurors' loads (existing assignments included)
as even as the blocks allow.

How: first a greedy pass (the most constrained entry first, each seat to the
eligible juror with the lowest load, ties by id), then improving chains: as
long as some juror ``x`` carries at least two more than a juror ``y`` who can
be reached by moving new assignments one step at a time (``x``'s entry to a
juror eligible for it, that juror's entry to the next ...), the chain is
moved, which lowers ``x``'s load by one and raises ``y``'s by one. When no
such chain is left the loads are optimal in the sense of a convex-cost flow
(the sum of squared loads is the least possible), so whenever the blocks
allow ``max load - min load <= 1``, that is what comes out. The result
depends only on the input (ids are sorted, ties go to the lower id)."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

Pair = tuple[int, int]  # (entry id, juror id)


def _needs(
    entries: list[int],
    jurors: list[int],
    k: int,
    on_entry: dict[int, set[int]],
    blocked: set[Pair],
) -> tuple[dict[int, int], dict[int, list[int]]]:
    """Seats still to fill per entry, and the jurors who may take them."""
    needs: dict[int, int] = {}
    candidates: dict[int, list[int]] = {}
    for entry in entries:
        eligible = [j for j in jurors if (entry, j) not in blocked]
        target = min(k, len(eligible))
        needs[entry] = max(0, target - len(on_entry[entry]))
        candidates[entry] = [j for j in eligible if j not in on_entry[entry]]
    return needs, candidates


def _improving_chain(
    start: int,
    loads: dict[int, int],
    new_by_juror: dict[int, set[int]],
    on_entry: dict[int, set[int]],
    candidates: dict[int, list[int]],
) -> list[tuple[int, int, int]] | None:
    """Moves ``(entry, from juror, to juror)`` that take one assignment off
    ``start`` and give one to a juror with a load at most ``loads[start] - 2``
    (the least loaded such juror that can be reached); None if there is none."""
    limit = loads[start] - 2
    came_from: dict[int, tuple[int, int]] = {}  # juror -> (entry, previous juror)
    seen_jurors = {start}
    seen_entries: set[int] = set()
    queue = deque([start])
    found: list[int] = []
    while queue:
        juror = queue.popleft()
        for entry in sorted(new_by_juror[juror]):
            if entry in seen_entries:
                continue
            seen_entries.add(entry)
            for other in candidates[entry]:
                if other in seen_jurors or other in on_entry[entry]:
                    continue
                seen_jurors.add(other)
                came_from[other] = (entry, juror)
                if loads[other] <= limit:
                    found.append(other)
                queue.append(other)
    if not found:
        return None
    target = min(found, key=lambda j: (loads[j], j))
    moves: list[tuple[int, int, int]] = []
    juror = target
    while juror != start:
        entry, previous = came_from[juror]
        moves.append((entry, previous, juror))
        juror = previous
    return moves


def auto_assign(
    *,
    entries: Iterable[int],
    jurors: Iterable[int],
    k: int,
    existing: Iterable[Pair] = (),
    blocked: Iterable[Pair] = (),
) -> list[Pair]:
    """The new ``(entry, juror)`` pairs to add (sorted). ``existing``: the
    assignments that stay (they count towards coverage and load);
    ``blocked``: pairs that must never be assigned."""
    entry_ids = sorted(set(entries))
    juror_ids = sorted(set(jurors))
    blocked_set = set(blocked)
    on_entry: dict[int, set[int]] = {e: set() for e in entry_ids}
    loads: dict[int, int] = dict.fromkeys(juror_ids, 0)
    for entry, juror in set(existing):
        if entry in on_entry and juror in loads:
            on_entry[entry].add(juror)
            loads[juror] += 1
    if k < 1 or not juror_ids:
        return []
    needs, candidates = _needs(entry_ids, juror_ids, k, on_entry, blocked_set)
    new_by_juror: dict[int, set[int]] = {j: set() for j in juror_ids}

    # Greedy: the entries with the fewest candidates first.
    for entry in sorted(entry_ids, key=lambda e: (len(candidates[e]), e)):
        for _seat in range(needs[entry]):
            free = [j for j in candidates[entry] if j not in on_entry[entry]]
            juror = min(free, key=lambda j: (loads[j], j))
            on_entry[entry].add(juror)
            new_by_juror[juror].add(entry)
            loads[juror] += 1

    # Improving chains, from the most loaded juror down, until none is left.
    improved = True
    while improved:
        improved = False
        for start in sorted(juror_ids, key=lambda j: (-loads[j], j)):
            moves = _improving_chain(start, loads, new_by_juror, on_entry, candidates)
            if moves is None:
                continue
            for entry, old, new in moves:
                on_entry[entry].discard(old)
                on_entry[entry].add(new)
                new_by_juror[old].discard(entry)
                new_by_juror[new].add(entry)
            loads[start] -= 1
            loads[moves[0][2]] += 1
            improved = True
            break
    return sorted((entry, juror) for juror, mine in new_by_juror.items() for entry in mine)


def pick_replacement(
    *,
    entry: int,
    jurors: Iterable[int],
    loads: dict[int, int],
    on_entry: Iterable[int],
    blocked: Iterable[Pair],
) -> int | None:
    """The eligible juror with the lowest load (ties: the lower id) who is
    not yet on ``entry``; None when there is none."""
    taken = set(on_entry)
    blocked_set = set(blocked)
    free = [j for j in sorted(set(jurors)) if j not in taken and (entry, j) not in blocked_set]
    if not free:
        return None
    return min(free, key=lambda j: (loads.get(j, 0), j))
