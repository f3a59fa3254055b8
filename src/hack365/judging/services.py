"""Writes for the jury: rounds and their criteria (organizers), jurors and
assignments (organizers), conflicts of interest and scores (jurors).

Every function checks who may act (``PermissionDenied``) and the round's
state (``ApplicationError`` with a message for the user), changes nothing
when it refuses, and writes the audit log. A round takes scores while it is
open and ``opens_at <= now < closes_at`` (server time); once closed, or once
its closing time has come, every score is locked."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hack365.challenges.forms import EARLIEST_YEAR, LATEST_YEAR
from hack365.challenges.models import Challenge, Event
from hack365.core.audit import log_action
from hack365.core.errors import ApplicationError, PermissionDenied
from hack365.core.permissions import is_authenticated, require_organizer
from hack365.submissions.models import Solution, SolutionStatus
from hack365.teams.models import TeamMembership

from . import assignment as algorithm
from . import rules
from .models import (
    EXPLANATION_MAX,
    GUIDANCE_MAX,
    JUSTIFICATION_MAX,
    SCALE_BOUNDS,
    TITLE_MAX,
    Assignment,
    AssignmentStatus,
    ConflictDeclaration,
    ConflictReason,
    Criterion,
    Entry,
    EvaluationRound,
    Juror,
    RoundStatus,
    Scale,
    Score,
)

MAX_JURORS_PER_SOLUTION = 50
MAX_CRITERIA = 30
MAX_WEIGHT = Decimal("100")
ACCOUNT_MAX = 254

# The default criteria of a new round: (name, guidance), translated into the
# organizer's language when the round is created.
DEFAULT_CRITERIA: tuple[tuple[str, str], ...] = (
    (
        gettext_noop("Societal benefit"),
        gettext_noop(
            "How much does the solution help the people the challenge is about, and how many? "
            "Compare with the challenge's expected societal benefit and target group."
        ),
    ),
    (
        gettext_noop("Realizability in the public sector"),
        gettext_noop(
            "Could a public organisation take the solution into use: cost, law (data "
            "protection, public access and secrecy), procurement, operation and maintenance?"
        ),
    ),
    (
        gettext_noop("Use of open data"),
        gettext_noop(
            "How well does the solution use open data? Does it reuse the datasets linked to "
            "the challenge, and does it show what data is missing?"
        ),
    ),
    (
        gettext_noop("Innovation"),
        gettext_noop("Is the solution new, or a new way of solving the problem?"),
    ),
    (
        gettext_noop("Quality of the solution"),
        gettext_noop(
            "Does it work? Is it usable and accessible, and is the code open and documented?"
        ),
    ),
)


# --- helpers --------------------------------------------------------------------------


def _now() -> datetime:
    return timezone.now()


def _when(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{formats.date_format(local, 'j F Y')} {formats.time_format(local, 'H:i')}"


def _clean_text(value: Any, *, field: str, max_length: int, required: bool = False) -> str:
    text = str(value or "").strip()
    if "\x00" in text:
        raise ValidationError({field: _("The text contains characters that are not allowed.")})
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > max_length:
        raise ValidationError(
            {
                field: _("Please write at most %(max)d characters (you wrote %(n)d).")
                % {"max": max_length, "n": len(text)}
            }
        )
    return text


def _lock_round(round: EvaluationRound) -> EvaluationRound:
    return EvaluationRound.objects.select_for_update().get(pk=round.pk)


def _require_draft(round: EvaluationRound) -> None:
    if round.status != RoundStatus.DRAFT:
        raise ApplicationError(
            _("The criteria can only be changed while the round is being prepared."),
            code="not_draft",
        )


def _require_not_closed(round: EvaluationRound) -> None:
    if round.status == RoundStatus.CLOSED:
        raise ApplicationError(_("The round is closed; nothing can change."), code="closed")


def _require_not_locked(round: EvaluationRound) -> None:
    """Closed, or its closing time has passed: no new work for the jury (no
    jury member, no assignment, no e-mail saying scoring is open until a
    time that has gone)."""
    _require_not_closed(round)
    if round.status == RoundStatus.DRAFT and _now() >= round.closes_at:
        raise ApplicationError(
            _("The round's closing time has passed; move it first."), code="past"
        )
    if rules.is_locked(round, _now()):
        raise ApplicationError(
            _(
                "Scoring closed at %(when)s; the scores are locked, so nobody can be added "
                "or assigned any more."
            )
            % {"when": _when(round.closes_at)},
            code="locked",
        )


def _require_open(round: EvaluationRound) -> None:
    if round.status == RoundStatus.DRAFT:
        raise ApplicationError(
            _("Open the round first: its entries are made when it opens."), code="draft"
        )
    _require_not_locked(round)


def lock_message(round: EvaluationRound) -> str:
    if round.status == RoundStatus.CLOSED:
        return _("The round is closed; the scores are locked and can no longer be changed.")
    return _("Scoring closed at %(when)s; the scores are locked and can no longer be changed.") % {
        "when": _when(round.closes_at)
    }


def _clean_dates(opens_at: Any, closes_at: Any) -> tuple[datetime, datetime]:
    errors: dict[str, str] = {}
    for field, value in (("opens_at", opens_at), ("closes_at", closes_at)):
        if not isinstance(value, datetime):
            errors[field] = _("Please give a date and time.")
        elif timezone.is_naive(value):
            errors[field] = _("Please give a date and time with a time zone.")
        elif not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
            errors[field] = _("Please give a date in the years %(earliest)d to %(latest)d.") % {
                "earliest": EARLIEST_YEAR,
                "latest": LATEST_YEAR,
            }
    if errors:
        raise ValidationError(errors)
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": _("Scoring must close after it opens.")})
    return opens_at, closes_at


def _same_minute(one: datetime, other: datetime) -> bool:
    return one.replace(second=0, microsecond=0) == other.replace(second=0, microsecond=0)


def _clean_jurors_per_solution(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= MAX_JURORS_PER_SOLUTION:
        raise ValidationError(
            {
                "jurors_per_solution": _("Give a number from 1 to %(max)d.")
                % {"max": MAX_JURORS_PER_SOLUTION}
            }
        )
    return number


def _clean_weight(value: Any) -> Decimal:
    try:
        weight = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({"weight": _("The weight must be a number.")}) from None
    if not weight.is_finite() or weight <= 0:
        raise ValidationError({"weight": _("The weight must be greater than 0.")})
    if weight > MAX_WEIGHT:
        raise ValidationError({"weight": _("The weight can be at most %(max)s.") % {"max": 100}})
    quantized = weight.quantize(Decimal("0.01"))
    if quantized <= 0:
        raise ValidationError({"weight": _("The weight must be greater than 0.")})
    return quantized


def _clean_scale(value: Any) -> str:
    if value not in Scale.values:
        raise ValidationError({"scale": _("Choose one of the scales.")})
    return str(value)


# --- rounds ---------------------------------------------------------------------------


@transaction.atomic
def round_create(
    *,
    actor: Any,
    event: Event | None = None,
    challenge: Challenge | None = None,
    title: str,
    opens_at: datetime,
    closes_at: datetime,
    blind: bool = False,
    jurors_per_solution: int = 3,
    guidance: str = "",
    previous_round: EvaluationRound | None = None,
) -> EvaluationRound:
    """A new round (being prepared) for an event or for a challenge, with
    the default criteria in the organizer's language. A next round
    (``previous_round``) evaluates the shortlist of an earlier round of the
    same event or challenge."""
    require_organizer(actor)
    if (event is None) == (challenge is None):
        raise ApplicationError(
            _("A round belongs to an event or to a challenge (one of them)."), code="scope"
        )
    title = _clean_text(title, field="title", max_length=TITLE_MAX, required=True)
    guidance = _clean_text(guidance, field="guidance", max_length=GUIDANCE_MAX)
    opens_at, closes_at = _clean_dates(opens_at, closes_at)
    jurors_per_solution = _clean_jurors_per_solution(jurors_per_solution)
    if previous_round is not None and (
        previous_round.event_id != (event.pk if event else None)
        or previous_round.challenge_id != (challenge.pk if challenge else None)
    ):
        raise ValidationError(
            {"previous_round": _("The previous round must be of the same event or challenge.")}
        )
    round = EvaluationRound.objects.create(
        event=event,
        challenge=challenge,
        previous_round=previous_round,
        title=title,
        guidance=guidance,
        opens_at=opens_at,
        closes_at=closes_at,
        blind=bool(blind),
        jurors_per_solution=jurors_per_solution,
        created_by=actor,
    )
    Criterion.objects.bulk_create(
        [
            Criterion(
                round=round,
                name=_(name),
                guidance=_(text),
                weight=Decimal("1"),
                scale=Scale.ONE_TO_FIVE,
                position=position,
            )
            for position, (name, text) in enumerate(DEFAULT_CRITERIA, start=1)
        ]
    )
    log_action(
        round,
        "judging.round.created",
        actor=actor,
        data={
            "event": event.pk if event else None,
            "challenge": challenge.pk if challenge else None,
            "previous_round": previous_round.pk if previous_round else None,
            "blind": round.blind,
        },
    )
    return round


@transaction.atomic
def round_update(
    *,
    actor: Any,
    round: EvaluationRound,
    title: str,
    opens_at: datetime,
    closes_at: datetime,
    blind: bool,
    jurors_per_solution: int,
    guidance: str = "",
) -> EvaluationRound:
    """Change a round's texts, dates and number of jurors per solution (a
    closing time can be moved while the round is open, but not once it has
    passed: locked scores stay locked; a round being prepared has no scores,
    so its closing time can always move). Blind review can only change while
    the round is being prepared: jurors may already have seen names."""
    require_organizer(actor)
    round = _lock_round(round)
    _require_not_closed(round)
    title = _clean_text(title, field="title", max_length=TITLE_MAX, required=True)
    guidance = _clean_text(guidance, field="guidance", max_length=GUIDANCE_MAX)
    opens_at, closes_at = _clean_dates(opens_at, closes_at)
    jurors_per_solution = _clean_jurors_per_solution(jurors_per_solution)
    if round.status != RoundStatus.DRAFT and bool(blind) != round.blind:
        raise ValidationError(
            {"blind": _("Blind review can only be changed while the round is being prepared.")}
        )
    if _same_minute(closes_at, round.closes_at):
        closes_at = round.closes_at  # as shown in the form, which has no seconds
    elif round.status != RoundStatus.DRAFT and rules.is_locked(round, _now()):
        raise ValidationError(
            {
                "closes_at": _(
                    "Scoring closed at %(when)s and the scores are locked; the closing time "
                    "can no longer be moved."
                )
                % {"when": _when(round.closes_at)}
            }
        )
    changes: dict[str, Any] = {}
    new = {
        "title": title,
        "guidance": guidance,
        "opens_at": opens_at,
        "closes_at": closes_at,
        "blind": bool(blind),
        "jurors_per_solution": jurors_per_solution,
    }
    for name, value in new.items():
        old = getattr(round, name)
        if old != value:
            changes[name] = [
                old.isoformat() if isinstance(old, datetime) else old,
                value.isoformat() if isinstance(value, datetime) else value,
            ]
            setattr(round, name, value)
    if changes:
        round.save(update_fields=[*changes, "updated_at"])
        log_action(round, "judging.round.updated", actor=actor, data=changes)
    return round


def _solutions_for(round: EvaluationRound) -> list[int]:
    """The solutions a round evaluates when it opens (ids)."""
    if round.previous_round_id is not None:
        return list(
            Entry.objects.filter(
                round_id=round.previous_round_id,
                shortlisted=True,
                solution__status=SolutionStatus.SUBMITTED,
            )
            .order_by("id")
            .values_list("solution_id", flat=True)
        )
    solutions = Solution.objects.filter(status=SolutionStatus.SUBMITTED)
    if round.event_id is not None:
        solutions = solutions.filter(challenge__event_id=round.event_id)
    else:
        solutions = solutions.filter(challenge_id=int(round.challenge_id or 0))
    return list(solutions.order_by("submitted_at", "id").values_list("id", flat=True))


@transaction.atomic
def round_open(*, actor: Any, round: EvaluationRound) -> EvaluationRound:
    """Being prepared → open. The entries are made now: every submitted
    solution of the round's event (solutions to its challenges) or of its
    challenge; for a next round, the shortlisted entries of the previous
    round (which must be closed). Refused without criteria or entries."""
    require_organizer(actor)
    round = _lock_round(round)
    if round.status != RoundStatus.DRAFT:
        raise ApplicationError(_("The round has already been opened."), code="not_draft")
    if _now() >= round.closes_at:
        raise ApplicationError(
            _("The round's closing time has passed; move it before opening the round."),
            code="past",
        )
    if not round.criteria.exists():
        raise ApplicationError(
            _("The round has no criteria; add at least one before opening it."),
            code="no_criteria",
        )
    if round.previous_round_id is not None:
        previous = EvaluationRound.objects.get(pk=round.previous_round_id)
        if previous.status != RoundStatus.CLOSED:
            raise ApplicationError(
                _("Close the previous round “%(title)s” first: this round evaluates its shortlist.")
                % {"title": previous.title},
                code="previous_open",
            )
    solution_ids = _solutions_for(round)
    if not solution_ids:
        if round.previous_round_id is not None:
            message = _(
                "Nothing is shortlisted in the previous round; there is nothing to evaluate."
            )
        else:
            message = _("No solution has been submitted yet; there is nothing to evaluate.")
        raise ApplicationError(message, code="no_entries")
    Entry.objects.bulk_create([Entry(round=round, solution_id=pk) for pk in solution_ids])
    round.status = RoundStatus.OPEN
    round.opened_at = _now()
    round.save(update_fields=["status", "opened_at", "updated_at"])
    log_action(round, "judging.round.opened", actor=actor, data={"entries": len(solution_ids)})
    return round


@transaction.atomic
def round_close(*, actor: Any, round: EvaluationRound) -> EvaluationRound:
    """Open → closed: every score is locked."""
    require_organizer(actor)
    round = _lock_round(round)
    if round.status != RoundStatus.OPEN:
        raise ApplicationError(_("Only an open round can be closed."), code="not_open")
    round.status = RoundStatus.CLOSED
    round.closed_at = _now()
    round.save(update_fields=["status", "closed_at", "updated_at"])
    submitted = Assignment.objects.filter(
        entry__round=round, status=AssignmentStatus.SUBMITTED
    ).count()
    log_action(round, "judging.round.closed", actor=actor, data={"submitted": submitted})
    return round


# --- criteria -------------------------------------------------------------------------


@transaction.atomic
def criterion_add(
    *,
    actor: Any,
    round: EvaluationRound,
    name: str,
    guidance: str = "",
    weight: Decimal | int | str = Decimal("1"),
    scale: str = Scale.ONE_TO_FIVE,
) -> Criterion:
    require_organizer(actor)
    round = _lock_round(round)
    _require_draft(round)
    name = _clean_text(name, field="name", max_length=TITLE_MAX, required=True)
    guidance = _clean_text(guidance, field="guidance", max_length=GUIDANCE_MAX)
    weight = _clean_weight(weight)
    scale = _clean_scale(scale)
    criteria = Criterion.objects.filter(round=round)
    if criteria.count() >= MAX_CRITERIA:
        raise ApplicationError(
            _("A round can have at most %(max)d criteria.") % {"max": MAX_CRITERIA},
            code="too_many",
        )
    last = max((c.position for c in criteria), default=0)
    criterion = Criterion.objects.create(
        round=round, name=name, guidance=guidance, weight=weight, scale=scale, position=last + 1
    )
    log_action(
        criterion,
        "judging.criterion.added",
        actor=actor,
        data={"round": round.pk, "name": name, "weight": str(weight), "scale": scale},
    )
    return criterion


@transaction.atomic
def criterion_update(
    *,
    actor: Any,
    criterion: Criterion,
    name: str,
    guidance: str = "",
    weight: Decimal | int | str = Decimal("1"),
    scale: str = Scale.ONE_TO_FIVE,
) -> Criterion:
    require_organizer(actor)
    _lock_round(criterion.round)
    criterion = Criterion.objects.select_related("round").get(pk=criterion.pk)
    _require_draft(criterion.round)
    new = {
        "name": _clean_text(name, field="name", max_length=TITLE_MAX, required=True),
        "guidance": _clean_text(guidance, field="guidance", max_length=GUIDANCE_MAX),
        "weight": _clean_weight(weight),
        "scale": _clean_scale(scale),
    }
    changes: dict[str, Any] = {}
    for field, value in new.items():
        old = getattr(criterion, field)
        if old != value:
            changes[field] = [str(old), str(value)]
            setattr(criterion, field, value)
    if changes:
        criterion.save(update_fields=list(changes))
        log_action(criterion, "judging.criterion.updated", actor=actor, data=changes)
    return criterion


@transaction.atomic
def criterion_delete(*, actor: Any, criterion: Criterion) -> None:
    require_organizer(actor)
    _lock_round(criterion.round)
    criterion = Criterion.objects.select_related("round").get(pk=criterion.pk)
    _require_draft(criterion.round)
    log_action(
        criterion.round,
        "judging.criterion.deleted",
        actor=actor,
        data={"criterion": criterion.pk, "name": criterion.name},
    )
    criterion.delete()


# --- jurors ---------------------------------------------------------------------------


def account_find(identifier: str, *, field: str = "account") -> Any:
    """The active account with this e-mail address (its own or a verified
    one) or user name; a ValidationError on ``field`` when there is none."""
    from allauth.account.models import EmailAddress

    text = _clean_text(identifier, field=field, max_length=ACCOUNT_MAX, required=True)
    users = get_user_model().objects.filter(is_active=True)
    if "@" in text:
        try:
            validate_email(text)
        except ValidationError:
            raise ValidationError({field: _("Please give a valid e-mail address.")}) from None
        address = (
            EmailAddress.objects.filter(email__iexact=text, verified=True, user__is_active=True)
            .select_related("user")
            .first()
        )
        if address is not None:
            return address.user
        account = users.filter(email__iexact=text).order_by("pk").first()
    else:
        account = users.filter(username=text).first()
    if account is None:
        raise ValidationError(
            {
                field: _(
                    "There is no account with this e-mail address or user name. "
                    "Ask the person to create an account first."
                )
            }
        )
    return account


def _language_of(user: Any) -> str:
    supported = [code for code, _name in settings.LANGUAGES]
    profile = getattr(user, "profile", None)
    for code in getattr(profile, "languages", None) or []:
        if code in supported:
            return str(code)
    current = translation.get_language() or settings.LANGUAGE_CODE
    return current if current in supported else settings.LANGUAGE_CODE


def _send_juror_mail(juror_pk: int, base_url: str, language: str) -> None:
    juror = Juror.objects.select_related("round", "user").filter(pk=juror_pk).first()
    if juror is None or not juror.user.email:
        return
    with translation.override(language):
        context = {
            "round": juror.round,
            "link": f"{base_url.rstrip('/')}{reverse('judging:mine')}",
            "opens": _when(juror.round.opens_at),
            "closes": _when(juror.round.closes_at),
        }
        subject = _("You are a jury member in “%(round)s”") % {"round": juror.round.title}
        body = render_to_string("judging/email/juror_added.txt", context)
    send_mail(" ".join(subject.split()), body, None, [juror.user.email])


@transaction.atomic
def juror_add(
    *,
    actor: Any,
    round: EvaluationRound,
    user: Any,
    base_url: str = "",
    notify: bool = True,
) -> Juror:
    """``user`` joins the round's jury; an e-mail in their language tells
    them (``notify=False``: none, for the demo)."""
    require_organizer(actor)
    round = _lock_round(round)
    _require_not_locked(round)
    if not is_authenticated(user) or not user.is_active:
        raise ValidationError({"account": _("This account is not active.")})
    if Juror.objects.filter(round=round, user=user).exists():
        raise ValidationError({"account": _("This person is already a jury member of the round.")})
    juror = Juror.objects.create(round=round, user=user, invited_by=actor)
    log_action(juror, "judging.juror.added", actor=actor, data={"round": round.pk, "user": user.pk})
    if notify:
        language = _language_of(user)
        transaction.on_commit(lambda: _send_juror_mail(juror.pk, base_url, language))
    return juror


@transaction.atomic
def juror_remove(*, actor: Any, juror: Juror) -> None:
    """Remove a jury member who has submitted no scores and declared no
    conflict of interest (their assignments and draft scores go with them).
    A declaration stays on record: without it the person could be added
    again and assigned the very solution they stepped aside from."""
    require_organizer(actor)
    round = _lock_round(juror.round)
    _require_not_closed(round)
    juror = Juror.objects.select_for_update().get(pk=juror.pk)
    if juror.assignments.filter(status=AssignmentStatus.SUBMITTED).exists():
        raise ApplicationError(
            _("This jury member has submitted scores and cannot be removed."), code="has_scores"
        )
    if juror.conflicts.exists():
        raise ApplicationError(
            _(
                "This jury member has declared a conflict of interest and cannot be removed: "
                "the declaration must stay on record so that they are never assigned that "
                "solution."
            ),
            code="has_conflicts",
        )
    log_action(
        round,
        "judging.juror.removed",
        actor=actor,
        data={"juror": juror.pk, "user": juror.user_id, "assignments": juror.assignments.count()},
    )
    juror.delete()


# --- assignments ----------------------------------------------------------------------


def team_member_pairs(round: EvaluationRound) -> set[tuple[int, int]]:
    """(entry, juror) pairs where the juror is a member of the entry's team."""
    entry_team = dict(Entry.objects.filter(round=round).values_list("id", "solution__team_id"))
    juror_user = dict(Juror.objects.filter(round=round).values_list("id", "user_id"))
    members = set(
        TeamMembership.objects.filter(
            team_id__in=set(entry_team.values()), user_id__in=set(juror_user.values())
        ).values_list("team_id", "user_id")
    )
    if not members:
        return set()
    return {
        (entry, juror)
        for entry, team in entry_team.items()
        for juror, user in juror_user.items()
        if (team, user) in members
    }


def blocked_pairs(round: EvaluationRound) -> set[tuple[int, int]]:
    """(entry, juror) pairs that may never be assigned: declared conflicts,
    recusals and team membership."""
    blocked = set(
        ConflictDeclaration.objects.filter(entry__round=round).values_list("entry_id", "juror_id")
    )
    blocked |= set(
        Assignment.objects.filter(entry__round=round, status=AssignmentStatus.RECUSED).values_list(
            "entry_id", "juror_id"
        )
    )
    return blocked | team_member_pairs(round)


def _loads(round: EvaluationRound) -> dict[int, int]:
    return dict(
        Juror.objects.filter(round=round)
        .annotate(
            load=Count("assignments", filter=~Q(assignments__status=AssignmentStatus.RECUSED))
        )
        .values_list("id", "load")
    )


@transaction.atomic
def assignment_add(*, actor: Any, entry: Entry, juror: Juror) -> Assignment:
    """The organizer assigns a jury member to an entry by hand."""
    require_organizer(actor)
    round = _lock_round(entry.round)
    _require_open(round)
    if juror.round_id != round.pk:
        raise ValidationError({"juror": _("This person is not a jury member of the round.")})
    if entry.round_id != round.pk:
        raise ValidationError({"entry": _("The solution is not part of this round.")})
    if (entry.pk, juror.pk) in blocked_pairs(round):
        raise ApplicationError(
            _(
                "This jury member cannot evaluate this solution: they have declared a conflict "
                "of interest with it, or they are a member of its team."
            ),
            code="conflict",
        )
    if Assignment.objects.filter(entry=entry, juror=juror).exists():
        raise ApplicationError(
            _("This jury member is already assigned to the solution."), code="duplicate"
        )
    made = Assignment.objects.create(entry=entry, juror=juror, assigned_by=actor)
    log_action(
        made,
        "judging.assignment.added",
        actor=actor,
        data={"round": round.pk, "entry": entry.pk, "juror": juror.pk},
    )
    return made


@transaction.atomic
def assignments_auto(*, actor: Any, round: EvaluationRound) -> int:
    """Assign jurors so that each entry has at least ``jurors_per_solution``
    (or every eligible juror when there are fewer), loads balanced, no
    conflicts; existing assignments stay. Returns how many were added."""
    require_organizer(actor)
    round = _lock_round(round)
    _require_open(round)
    entries = list(Entry.objects.filter(round=round).values_list("id", flat=True))
    jurors = list(Juror.objects.filter(round=round).values_list("id", flat=True))
    if not jurors:
        raise ApplicationError(_("Add jury members to the round first."), code="no_jurors")
    existing = set(
        Assignment.objects.filter(entry__round=round)
        .exclude(status=AssignmentStatus.RECUSED)
        .values_list("entry_id", "juror_id")
    )
    pairs = algorithm.auto_assign(
        entries=entries,
        jurors=jurors,
        k=round.jurors_per_solution,
        existing=existing,
        blocked=blocked_pairs(round),
    )
    Assignment.objects.bulk_create(
        [Assignment(entry_id=entry, juror_id=juror) for entry, juror in pairs]
    )
    log_action(
        round,
        "judging.assignment.auto_assigned",
        actor=actor,
        data={"added": len(pairs), "pairs": [list(p) for p in pairs]},
    )
    return len(pairs)


def _reassign(round: EvaluationRound, entry: Entry, *, actor: Any) -> Assignment | None:
    """After a recusal: the entry to another eligible juror with the lowest load."""
    jurors = list(Juror.objects.filter(round=round).values_list("id", flat=True))
    on_entry = set(
        Assignment.objects.filter(entry=entry)
        .exclude(status=AssignmentStatus.RECUSED)
        .values_list("juror_id", flat=True)
    )
    blocked = blocked_pairs(round)
    blocked |= {
        (entry.pk, juror)
        for juror in Assignment.objects.filter(entry=entry).values_list("juror_id", flat=True)
    }
    choice = algorithm.pick_replacement(
        entry=entry.pk, jurors=jurors, loads=_loads(round), on_entry=on_entry, blocked=blocked
    )
    if choice is None:
        return None
    made = Assignment.objects.create(entry=entry, juror_id=choice)
    log_action(
        made,
        "judging.assignment.reassigned",
        actor=actor,
        data={"round": round.pk, "entry": entry.pk, "juror": choice},
    )
    return made


# --- conflicts of interest ------------------------------------------------------------


@dataclass(frozen=True)
class Recusal:
    """What a declared conflict of interest did."""

    declaration: ConflictDeclaration
    recused: Assignment | None  # the declarer's assignment, now recused (if they had one)
    replacement: Assignment | None  # the entry's new assignment (None: nobody was free)


@transaction.atomic
def conflict_declare(
    *,
    actor: Any,
    assignment_or_entry: Assignment | Entry,
    reason: str,
    explanation: str = "",
) -> Recusal:
    """A jury member declares a conflict of interest with an entry: their
    assignment to it (if any) is recused (its scores no longer count) and the
    entry goes to another eligible jury member with the lowest load, if
    there is one (``replacement`` is None when there is none: the entry then
    has fewer jury members than the round asks for, which the organizer's
    round page shows)."""
    if not is_authenticated(actor) or not actor.is_active:
        raise PermissionDenied(_("You need to log in to do this."))
    if isinstance(assignment_or_entry, Assignment):
        entry = assignment_or_entry.entry
    else:
        entry = assignment_or_entry
    round = _lock_round(entry.round)
    juror = Juror.objects.filter(round=round, user=actor).first()
    if juror is None:
        raise PermissionDenied(_("Only the round's jury members may declare a conflict."))
    if isinstance(assignment_or_entry, Assignment) and assignment_or_entry.juror_id != juror.pk:
        raise PermissionDenied(_("This is not your assignment."))
    if round.status == RoundStatus.DRAFT:
        raise ApplicationError(_("The round has not opened yet."), code="draft")
    if rules.is_locked(round):
        raise ApplicationError(lock_message(round), code="locked")
    if reason not in ConflictReason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    explanation = _clean_text(explanation, field="explanation", max_length=EXPLANATION_MAX)
    if reason == ConflictReason.OTHER and not explanation:
        raise ValidationError({"explanation": _("Explain the conflict of interest.")})
    if ConflictDeclaration.objects.filter(juror=juror, entry=entry).exists():
        raise ApplicationError(
            _("You have already declared a conflict of interest with this solution."),
            code="duplicate",
        )
    declaration = ConflictDeclaration.objects.create(
        juror=juror, entry=entry, reason=reason, explanation=explanation
    )
    log_action(
        declaration,
        "judging.conflict.declared",
        actor=actor,
        data={"round": round.pk, "entry": entry.pk, "juror": juror.pk, "reason": reason},
    )
    mine = (
        Assignment.objects.select_for_update()
        .filter(entry=entry, juror=juror)
        .exclude(status=AssignmentStatus.RECUSED)
        .first()
    )
    if mine is not None:
        old = mine.status
        mine.status = AssignmentStatus.RECUSED
        mine.save(update_fields=["status", "updated_at"])
        log_action(
            mine, "judging.assignment.recused", actor=actor, data={"status": [old, mine.status]}
        )
        replacement = _reassign(round, entry, actor=actor)
        return Recusal(declaration=declaration, recused=mine, replacement=replacement)
    return Recusal(declaration=declaration, recused=None, replacement=None)


# --- scores ---------------------------------------------------------------------------

ScoreInput = tuple[Any, Any]  # (value or None, justification)


def _parse_value(raw: Any) -> int | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        return int(raw)
    if isinstance(raw, int):
        return raw
    text = str(raw).strip()
    if text.lstrip("-").isdigit() and len(text) < 6:
        return int(text)
    raise ValueError(text)


@transaction.atomic
def scores_save(
    *,
    actor: Any,
    assignment: Assignment,
    values: Mapping[int, ScoreInput],
    submit: bool,
) -> Assignment:
    """The jury member saves their scores for an entry: ``values`` maps a
    criterion id to (value, justification). A draft may be partial; a
    submission (and any change after one) needs every criterion scored with
    a justification. Values must lie within the criterion's scale (yes = 1,
    no = 0). Refused once the round is locked. Every change of a value or a
    justification is audited with the old and new text."""
    if not is_authenticated(actor) or not actor.is_active:
        raise PermissionDenied(_("You need to log in to do this."))
    round = _lock_round(assignment.entry.round)
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("juror", "entry")
        .get(pk=assignment.pk)
    )
    if assignment.juror.user_id != actor.pk:
        raise PermissionDenied(_("This is not your assignment."))
    if assignment.status == AssignmentStatus.RECUSED:
        raise ApplicationError(
            _("You have declared a conflict of interest with this solution; you cannot score it."),
            code="recused",
        )
    now = _now()
    if rules.is_locked(round, now):
        raise ApplicationError(lock_message(round), code="locked")
    if not rules.has_opened(round, now):
        raise ApplicationError(
            _("Scoring opens at %(when)s.") % {"when": _when(round.opens_at)}, code="not_open"
        )
    criteria = list(Criterion.objects.filter(round=round).order_by("position", "id"))
    known = {c.pk for c in criteria}
    unknown = [key for key in values if key not in known]
    if unknown:
        raise ApplicationError(_("A criterion is not part of this round."), code="unknown")
    complete = submit or assignment.status == AssignmentStatus.SUBMITTED
    errors: dict[str, list[str]] = {}
    cleaned: dict[int, tuple[int, str] | None] = {}
    for criterion in criteria:
        raw_value, raw_text = values.get(criterion.pk, (None, ""))
        low, high = SCALE_BOUNDS[criterion.scale]
        field_v, field_j = f"value_{criterion.pk}", f"justification_{criterion.pk}"
        text = str(raw_text or "").strip()
        if "\x00" in text:
            errors.setdefault(field_j, []).append(
                _("“%(criterion)s”: the justification contains characters that are not allowed.")
                % {"criterion": criterion.name}
            )
            continue
        if len(text) > JUSTIFICATION_MAX:
            errors.setdefault(field_j, []).append(
                _("“%(criterion)s”: write at most %(max)d characters (you wrote %(n)d).")
                % {"criterion": criterion.name, "max": JUSTIFICATION_MAX, "n": len(text)}
            )
            continue
        try:
            value = _parse_value(raw_value)
        except ValueError:
            value = None
            errors.setdefault(field_v, []).append(
                _("“%(criterion)s”: the score must be a whole number from %(low)d to %(high)d.")
                % {"criterion": criterion.name, "low": low, "high": high}
            )
            continue
        if value is not None and not low <= value <= high:
            if criterion.scale == Scale.YES_NO:
                message = _("“%(criterion)s”: answer yes or no.") % {"criterion": criterion.name}
            else:
                message = _(
                    "“%(criterion)s”: the score must be from %(low)d to %(high)d "
                    "(it was %(value)d)."
                ) % {"criterion": criterion.name, "low": low, "high": high, "value": value}
            errors.setdefault(field_v, []).append(message)
            continue
        if value is None:
            if complete:
                errors.setdefault(field_v, []).append(
                    _("“%(criterion)s”: give a score.") % {"criterion": criterion.name}
                )
            elif text:
                errors.setdefault(field_v, []).append(
                    _("“%(criterion)s”: give a score too, or clear its justification.")
                    % {"criterion": criterion.name}
                )
            cleaned[criterion.pk] = None
            continue
        if complete and not text:
            errors.setdefault(field_j, []).append(
                _("“%(criterion)s”: a written justification is required.")
                % {"criterion": criterion.name}
            )
            continue
        cleaned[criterion.pk] = (value, text)
    if errors:
        raise ApplicationError(errors)

    existing = {s.criterion_id: s for s in Score.objects.filter(assignment=assignment)}
    changed = 0
    for criterion in criteria:
        new = cleaned.get(criterion.pk)
        score = existing.get(criterion.pk)
        if new is None:
            if score is not None:
                log_action(
                    assignment,
                    "judging.score.removed",
                    actor=actor,
                    data={
                        "criterion": criterion.pk,
                        "value": [score.value, None],
                        "justification": [score.justification, ""],
                    },
                )
                score.delete()
                changed += 1
            continue
        value, text = new
        if score is None:
            Score.objects.create(
                assignment=assignment, criterion=criterion, value=value, justification=text
            )
            log_action(
                assignment,
                "judging.score.changed",
                actor=actor,
                data={
                    "criterion": criterion.pk,
                    "value": [None, value],
                    "justification": ["", text],
                },
            )
            changed += 1
        elif score.value != value or score.justification != text:
            data = {
                "criterion": criterion.pk,
                "value": [score.value, value],
                "justification": [score.justification, text],
            }
            score.value, score.justification = value, text
            score.save(update_fields=["value", "justification", "updated_at"])
            log_action(assignment, "judging.score.changed", actor=actor, data=data)
            changed += 1
    if submit and assignment.status != AssignmentStatus.SUBMITTED:
        assignment.status = AssignmentStatus.SUBMITTED
        assignment.submitted_at = now
        assignment.save(update_fields=["status", "submitted_at", "updated_at"])
        log_action(
            assignment,
            "judging.assignment.submitted",
            actor=actor,
            data={"round": round.pk, "entry": assignment.entry_id},
        )
    elif changed:
        assignment.save(update_fields=["updated_at"])
    return assignment
