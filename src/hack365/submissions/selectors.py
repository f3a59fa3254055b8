"""Reads for the solution pages: one solution with an access check, its
versions and the differences between two of them, its attachments, the
public gallery, and the solutions shown on team and challenge pages."""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.safestring import SafeString, mark_safe

from hack365.challenges.models import PUBLIC_STATUSES, Challenge
from hack365.challenges.services import search_key
from hack365.teams.models import Team

from . import rules
from .models import Attachment, Solution, SolutionDataset, SolutionStatus, SolutionVersion
from .rules import SolutionAccess

MAX_QUERY_WORDS = 8


def _pk(value: Any) -> int:
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise Http404("No such solution") from None
    if pk <= 0 or pk > 2**62:
        raise Http404("No such solution")
    return pk


DATASET_USE_FIELDS = (
    "solution",
    "dataset",
    "position",
    "note",
    "dataset__key",
    "dataset__title",
    "dataset__withdrawn",
    "dataset__publisher",
    "dataset__publisher__iri",
    "dataset__publisher__name",
)


def _with_page_data(qs: QuerySet[Solution]) -> QuerySet[Solution]:
    return qs.select_related(
        "team", "challenge", "challenge__event", "challenge__owner", "created_by"
    ).prefetch_related(
        Prefetch(
            "dataset_uses",
            # only what the pages show of a dataset: not its harvested texts
            queryset=SolutionDataset.objects.select_related("dataset", "dataset__publisher").only(
                *DATASET_USE_FIELDS
            ),
        ),
        # not the challenge's co-owners: only a need owner's access check asks
        # for them (challenge_rules.co_owner_ids), and most viewers are not one
    )


def access_solution(user: Any, pk: Any) -> tuple[Solution, SolutionAccess]:
    """A solution ``user`` may see, with the facts the rules need; 404 for
    any other (a draft of another team does not reveal that it exists)."""
    try:
        solution = _with_page_data(Solution.objects.all()).get(pk=_pk(pk))
    except Solution.DoesNotExist:
        raise Http404("No such solution") from None
    access = rules.access_for(user, solution)
    if not rules.can_view(access, solution):
        raise Http404("No such solution")
    return solution, access


def access_solution_versions(user: Any, pk: Any) -> tuple[Solution, SolutionAccess]:
    """A solution whose versions ``user`` may see (the team, organizers)."""
    solution, access = access_solution(user, pk)
    if not rules.can_see_versions(access, solution):
        raise Http404("No such solution")
    return solution, access


def visible_attachments(solution: Solution, access: SolutionAccess) -> list[Attachment]:
    """The attachments ``access`` may see: confidential ones only for the
    team, the need owners, the organizers and the assigned jurors."""
    qs = Attachment.objects.filter(solution=solution).select_related("uploaded_by")
    if not rules.may_see_confidential(access.viewer.user, solution, access):
        qs = qs.filter(is_confidential=False)
    return list(qs.order_by("created_at", "pk"))


def access_attachment(user: Any, solution_pk: Any, pk: Any) -> tuple[Attachment, SolutionAccess]:
    """An attachment ``user`` may download; 404 otherwise (a confidential one
    is not revealed to exist)."""
    solution, access = access_solution(user, solution_pk)
    try:
        attachment = Attachment.objects.get(pk=_pk(pk), solution=solution)
    except Attachment.DoesNotExist:
        raise Http404("No such attachment") from None
    attachment.solution = solution
    if attachment.is_confidential and not rules.may_see_confidential(
        access.viewer.user, solution, access
    ):
        raise Http404("No such attachment")
    return attachment, access


def versions(solution: Solution) -> list[SolutionVersion]:
    return list(solution.versions.select_related("author").order_by("-number"))


# --- differences ------------------------------------------------------------------------

_TOKENS = re.compile(r"\s+|[^\s]+")


def diff_html(old: str, new: str) -> SafeString:
    """``new`` compared with ``old`` word by word: removed words in <del>,
    added ones in <ins>, everything escaped."""
    a = _TOKENS.findall(old or "")
    b = _TOKENS.findall(new or "")
    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(html.escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{html.escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{html.escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: Any
    changed: bool
    html: SafeString


def _datasets_text(data: dict[str, Any]) -> str:
    items = data.get("datasets") or []
    return "\n".join(f"{d.get('title', '')} (#{d.get('id', '')})" for d in items)


def compare(
    a: SolutionVersion, b: SolutionVersion, labels: Iterable[tuple[str, Any]]
) -> list[FieldChange]:
    changes = []
    for name, label in labels:
        if name == "datasets":
            old, new = _datasets_text(a.data), _datasets_text(b.data)
        else:
            old, new = str(a.data.get(name, "") or ""), str(b.data.get(name, "") or "")
        changes.append(FieldChange(name, label, old != new, diff_html(old, new)))
    return changes


def version_pair(
    solution: Solution, a: Any, b: Any
) -> tuple[SolutionVersion, SolutionVersion] | None:
    """Versions number ``a`` and ``b`` of ``solution``, or None when either
    is missing or not a number."""
    try:
        na, nb = int(a), int(b)
    except (TypeError, ValueError):
        return None
    found = {
        v.number: v for v in solution.versions.filter(number__in=[na, nb]).select_related("author")
    }
    if na not in found or nb not in found:
        return None
    return found[na], found[nb]


# --- the gallery --------------------------------------------------------------------------


def public_solutions() -> QuerySet[Solution]:
    return Solution.objects.filter(
        status=SolutionStatus.SUBMITTED, challenge__status__in=PUBLIC_STATUSES
    )


def gallery(
    *,
    q: str = "",
    event: str = "",
    challenge: str = "",
    dataset: int | None = None,
    licence: str = "",
) -> QuerySet[Solution]:
    """Submitted solutions, newest first, filtered; nothing confidential is
    part of what a card shows."""
    qs = public_solutions()
    for word in search_key(q).split()[:MAX_QUERY_WORDS]:
        qs = qs.filter(search_text__contains=word)
    if event:
        qs = qs.filter(challenge__event__slug=event)
    if challenge:
        qs = qs.filter(challenge__slug=challenge)
    if dataset:
        qs = qs.filter(dataset_uses__dataset_id=dataset)
    if licence:
        qs = qs.filter(licence=licence)
    return (
        qs.select_related("team", "challenge", "challenge__event", "challenge__owner")
        .prefetch_related(
            Prefetch("dataset_uses", queryset=SolutionDataset.objects.select_related("dataset"))
        )
        .order_by("-submitted_at", "-pk")
        .distinct()
    )


def team_solution(team: Team) -> Solution | None:
    """The team's solution to its challenge, if it has one."""
    if team.challenge_id is None:
        return None
    return Solution.objects.filter(team=team, challenge_id=team.challenge_id).first()


def challenge_solutions(challenge: Challenge, *, limit: int = 12) -> list[Solution]:
    """The public solutions to a challenge, newest first."""
    return list(
        public_solutions()
        .filter(challenge=challenge)
        .select_related("team")
        .order_by("-submitted_at", "-pk")[:limit]
    )


def challenge_solution_count(challenge: Challenge) -> int:
    return public_solutions().filter(challenge=challenge).count()
