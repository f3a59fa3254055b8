"""Reads for the jury pages, each with its access check: a round for
organizers, a jury member's own assignments, the round's progress, the
attachments of an assigned solution (numbered, for blind review) and the
counted scores of a round (for the ranking)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from hack365.core.permissions import is_authenticated, is_organizer
from hack365.submissions.models import Attachment, SolutionDataset

from .models import (
    Assignment,
    AssignmentStatus,
    ConflictDeclaration,
    Criterion,
    Entry,
    EvaluationRound,
    Juror,
    RoundStatus,
    Score,
)


def pk_or_404(value: Any) -> int:
    """An id from a URL or a form as an int; 404 for anything that is none."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise Http404("Not found") from None
    if pk <= 0 or pk > 2**62:
        raise Http404("Not found")
    return pk


# --- organizers -----------------------------------------------------------------------


def _require_organizer_or_404(user: Any) -> None:
    if not is_organizer(user):
        raise Http404("Not found")


def access_round_for_organizer(user: Any, round_id: Any) -> EvaluationRound:
    """A round, for an organizer; 404 for anyone else."""
    _require_organizer_or_404(user)
    try:
        return EvaluationRound.objects.select_related(
            "event", "challenge", "previous_round", "created_by"
        ).get(pk=pk_or_404(round_id))
    except EvaluationRound.DoesNotExist:
        raise Http404("No such round") from None


def access_criterion_for_organizer(user: Any, criterion_id: Any) -> Criterion:
    _require_organizer_or_404(user)
    try:
        return Criterion.objects.select_related("round").get(pk=pk_or_404(criterion_id))
    except Criterion.DoesNotExist:
        raise Http404("No such criterion") from None


def access_juror_for_organizer(user: Any, juror_id: Any) -> Juror:
    _require_organizer_or_404(user)
    try:
        return Juror.objects.select_related("round", "user").get(pk=pk_or_404(juror_id))
    except Juror.DoesNotExist:
        raise Http404("No such jury member") from None


def rounds_for_organizer(
    user: Any, *, event: Any = None, challenge: Any = None
) -> QuerySet[EvaluationRound]:
    """Every round (of one event or challenge when given), newest first."""
    _require_organizer_or_404(user)
    qs = EvaluationRound.objects.select_related("event", "challenge").annotate(
        entry_count=Count("entries", distinct=True), juror_count=Count("jurors", distinct=True)
    )
    if event is not None:
        qs = qs.filter(event=event)
    if challenge is not None:
        qs = qs.filter(challenge=challenge)
    return qs.order_by("-opens_at", "-id")


def round_criteria(round: EvaluationRound) -> list[Criterion]:
    return list(Criterion.objects.filter(round=round).order_by("position", "id"))


@dataclass
class EntryProgress:
    entry: Entry
    number: int
    assignments: list[Assignment]
    active: int  # assignments that are not recused
    submitted: int


@dataclass
class JurorProgress:
    juror: Juror
    load: int  # assignments that are not recused
    submitted: int
    removable: bool  # no submitted scores and no declared conflict of interest
    conflicts: int = 0


@dataclass
class RoundProgress:
    entries: list[EntryProgress] = field(default_factory=list)
    jurors: list[JurorProgress] = field(default_factory=list)
    conflicts: list[ConflictDeclaration] = field(default_factory=list)
    assignments: int = 0
    submitted: int = 0
    short: int = 0  # entries with fewer active assignments than the round asks for

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.assignments) if self.assignments else 0


def round_progress(round: EvaluationRound) -> RoundProgress:
    """Entries with their assignments and status, jurors with their loads,
    and the declared conflicts: the organizer's view of a round."""
    entries = list(
        Entry.objects.filter(round=round)
        .select_related("solution", "solution__team", "solution__challenge")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related(
                    "juror__user", "juror__user__profile"
                ).order_by("id"),
            )
        )
        .order_by("id")
    )
    progress = RoundProgress()
    for number, entry in enumerate(entries, start=1):
        assignments = list(entry.assignments.all())
        active = sum(1 for a in assignments if a.status != AssignmentStatus.RECUSED)
        submitted = sum(1 for a in assignments if a.status == AssignmentStatus.SUBMITTED)
        progress.entries.append(EntryProgress(entry, number, assignments, active, submitted))
        progress.assignments += active
        progress.submitted += submitted
        if active < round.jurors_per_solution:
            progress.short += 1
    jurors = (
        Juror.objects.filter(round=round)
        .select_related("user", "user__profile")
        .annotate(
            load=Count(
                "assignments",
                filter=~Q(assignments__status=AssignmentStatus.RECUSED),
                distinct=True,
            ),
            done=Count(
                "assignments",
                filter=Q(assignments__status=AssignmentStatus.SUBMITTED),
                distinct=True,
            ),
            declared=Count("conflicts", distinct=True),
        )
        .order_by("id")
    )
    progress.jurors = [
        JurorProgress(
            j,
            j.load,
            j.done,
            removable=j.done == 0 and j.declared == 0,
            conflicts=j.declared,
        )
        for j in jurors
    ]
    progress.conflicts = list(
        ConflictDeclaration.objects.filter(entry__round=round)
        .select_related("juror__user", "juror__user__profile", "entry__solution")
        .order_by("created_at", "id")
    )
    return progress


# --- jury members ---------------------------------------------------------------------


def _own_assignments(user: Any) -> QuerySet[Assignment]:
    if not is_authenticated(user) or not user.is_active:
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(juror__user=user)
        .exclude(status=AssignmentStatus.RECUSED)
        .exclude(entry__round__status=RoundStatus.DRAFT)
    )


def access_assignment(user: Any, assignment_id: Any) -> Assignment:
    """The jury member's own assignment (not recused, in a round that has
    opened); 404 for anyone else, organizers included."""
    try:
        return (
            _own_assignments(user)
            .select_related("entry__round", "entry__solution__challenge", "juror")
            .get(pk=pk_or_404(assignment_id))
        )
    except Assignment.DoesNotExist:
        raise Http404("No such assignment") from None


def entry_number(entry: Entry) -> int:
    """The entry's place in its round (1, 2, ...): its name in blind review."""
    return Entry.objects.filter(round_id=entry.round_id, id__lte=entry.pk).count()


@dataclass
class AssignmentRow:
    assignment: Assignment
    number: int  # the entry's place in its round
    scored: int  # criteria with a score
    criteria: int


def juror_assignments(user: Any) -> list[AssignmentRow]:
    """ "My evaluations": the user's assignments in rounds that have opened,
    not recused, open rounds first."""
    assignments = list(
        _own_assignments(user)
        .select_related("entry__round", "entry__solution")
        .annotate(scored=Count("scores", distinct=True))
        .order_by("entry__round__closes_at", "entry_id")
    )
    assignments.sort(key=lambda a: a.entry.round.status != RoundStatus.OPEN)
    if not assignments:
        return []
    round_ids = {a.entry.round_id for a in assignments}
    criteria = dict(
        EvaluationRound.objects.filter(pk__in=round_ids)
        .annotate(n=Count("criteria"))
        .values_list("pk", "n")
    )
    numbers: dict[int, int] = {}
    for round_id in round_ids:
        ids = Entry.objects.filter(round_id=round_id).order_by("id").values_list("id", flat=True)
        for number, entry_id in enumerate(ids, start=1):
            numbers[entry_id] = number
    return [
        AssignmentRow(
            assignment=a,
            number=numbers.get(a.entry_id, 0),
            scored=a.scored,
            criteria=criteria.get(a.entry.round_id, 0),
        )
        for a in assignments
    ]


def own_scores(assignment: Assignment) -> dict[int, Score]:
    """The jury member's own scores on an assignment, by criterion id."""
    return {s.criterion_id: s for s in Score.objects.filter(assignment=assignment)}


def solution_dataset_uses(assignment: Assignment) -> list[SolutionDataset]:
    return list(
        SolutionDataset.objects.filter(solution_id=assignment.entry.solution_id)
        .select_related("dataset", "dataset__publisher")
        .order_by("position", "pk")
    )


@dataclass(frozen=True)
class NumberedAttachment:
    number: int
    kind: str  # "PDF", from the file name's extension; "file" (translated) without one
    extension: str  # "pdf"
    attachment: Attachment

    @property
    def neutral_name(self) -> str:
        suffix = f".{self.extension}" if self.extension else ""
        return f"attachment-{self.number}{suffix}"


def _extension(name: str) -> str:
    if "." not in name:
        return ""
    ext = name.rsplit(".", 1)[1].lower()
    return ext if ext.isalnum() and len(ext) <= 8 else ""


def assignment_attachments(assignment: Assignment) -> list[NumberedAttachment]:
    """Every attachment of the assigned solution (the confidential ones too:
    an assigned jury member may see them), numbered from 1."""
    items = Attachment.objects.filter(solution_id=assignment.entry.solution_id).order_by(
        "created_at", "pk"
    )
    return [
        NumberedAttachment(
            number=n,
            kind=_extension(item.original_name).upper() or _("file"),
            extension=_extension(item.original_name),
            attachment=item,
        )
        for n, item in enumerate(items, start=1)
    ]


def access_assignment_attachment(
    user: Any, assignment_id: Any, number: Any
) -> tuple[Assignment, NumberedAttachment]:
    """Attachment number ``number`` of the jury member's own assignment; 404
    for anyone else or any other number."""
    assignment = access_assignment(user, assignment_id)
    wanted = pk_or_404(number)
    for item in assignment_attachments(assignment):
        if item.number == wanted:
            return assignment, item
    raise Http404("No such attachment")


# --- for the ranking ------------------------------------------------------------------


def counted_assignments(round: EvaluationRound) -> QuerySet[Assignment]:
    """The assignments whose scores count: submitted (never recused), with
    their jury member and scores."""
    return (
        Assignment.objects.filter(entry__round=round, status=AssignmentStatus.SUBMITTED)
        .select_related("juror", "entry")
        .prefetch_related(
            Prefetch("scores", queryset=Score.objects.select_related("criterion").order_by("id"))
        )
        .order_by("entry_id", "id")
    )


def round_entries_with_scores(round: EvaluationRound) -> list[Entry]:
    """The round's entries (solution and team loaded), each with
    ``counted_assignments``: its submitted, non-recused assignments with
    their ``scores`` (criterion loaded) prefetched."""
    return list(
        Entry.objects.filter(round=round)
        .select_related("solution", "solution__team", "solution__challenge")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(status=AssignmentStatus.SUBMITTED)
                .select_related("juror")
                .prefetch_related(
                    Prefetch(
                        "scores",
                        queryset=Score.objects.select_related("criterion").order_by("id"),
                    )
                )
                .order_by("id"),
                to_attr="counted_assignments",
            )
        )
        .order_by("id")
    )
