"""Writes of the realization app: the need owner's decision on a solution,
its milestones, and the follow-ups that remind the need owner 6 and 12
months after the solution's award.

Every write checks the actor's permission (a need owner of the solution's
challenge, or an organizer), the solution's state (submitted) and the input,
and is audited. Recording a decision or a milestone answers the follow-ups
that are due."""

from __future__ import annotations

import calendar
import logging
from datetime import date, datetime
from functools import partial
from typing import Any, NamedTuple

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hack365.challenges import rules as challenge_rules
from hack365.core.audit import log_action
from hack365.core.errors import ApplicationError, PermissionDenied
from hack365.core.permissions import require_authenticated
from hack365.judging.models import Award
from hack365.organizations.models import Membership, MembershipRole
from hack365.submissions.models import Solution, SolutionStatus

from . import rules
from .models import (
    REASON_MAX,
    TITLE_MAX,
    UPDATE_MAX,
    Decision,
    FollowUp,
    Milestone,
    Realization,
)

logger = logging.getLogger(__name__)

# Months after the award at which the need owner is asked for a follow-up.
FOLLOW_UP_MONTHS = (6, 12)
# Milestone dates: from this year, and at most this many years ahead.
MILESTONE_FIRST_YEAR = 2000
MILESTONE_MAX_YEARS_AHEAD = 10


# --- dates ------------------------------------------------------------------------------


def add_months(when: datetime, months: int) -> datetime:
    """``when`` plus ``months`` calendar months, on the site's clock (Europe/
    Stockholm): the same day and time of day, or the month's last day when it
    is shorter (31 August + 6 months = 28 or 29 February)."""
    if timezone.is_naive(when):
        raise ValueError("add_months needs an aware datetime")
    zone = timezone.get_default_timezone()
    local = when.astimezone(zone)
    index = local.month - 1 + months
    year, month = local.year + index // 12, index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)


def _years_ahead(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year + years)
    except ValueError:  # 29 February
        return today.replace(year=today.year + years, day=28)


# --- permissions ------------------------------------------------------------------------


def _require_manager(actor: Any, solution: Solution) -> None:
    require_authenticated(actor)
    viewer = challenge_rules.viewer_for(actor)
    if not rules.can_manage(viewer, solution):
        raise PermissionDenied(
            _("Only the challenge's need owners and the organizers may record its realization.")
        )


def _require_submitted(solution: Solution) -> None:
    if solution.status != SolutionStatus.SUBMITTED:
        raise ApplicationError(
            _("Only a submitted solution has a realization: this one is a draft or withdrawn.")
        )


def _answer_follow_ups(solution: Solution, now: datetime, *, actor: Any, by: str) -> int:
    """The solution's follow-ups that are due and not yet answered are
    answered now, by ``actor``'s decision or milestone (``by``), each audited."""
    due = list(
        FollowUp.objects.select_for_update()
        .filter(solution=solution, due_at__lte=now, answered_at__isnull=True)
        .order_by("due_at", "pk")
    )
    if not due:
        return 0
    FollowUp.objects.filter(pk__in=[f.pk for f in due], answered_at__isnull=True).update(
        answered_at=now, updated_at=now
    )
    for follow_up in due:
        log_action(
            follow_up,
            "realization.follow_up.answered",
            actor=actor,
            data={
                "solution": solution.pk,
                "months": follow_up.months,
                "by": by,
                "reminder_sent": follow_up.sent_at is not None,
            },
        )
    return len(due)


# --- the decision -----------------------------------------------------------------------


def _clean_decision(decision: str, reason: str) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    decision = str(decision or "").strip()
    reason = str(reason or "").strip()
    if decision not in Decision.values:
        errors["decision"] = [_("Choose one of the decisions.")]
    if decision == Decision.DECLINE and not reason:
        errors["reason"] = [_("Give the reason why the solution is declined.")]
    if len(reason) > REASON_MAX:
        errors["reason"] = [
            _("The reason is too long: at most %(max)d characters.") % {"max": REASON_MAX}
        ]
    if errors:
        raise ApplicationError(errors)
    return decision, reason


@transaction.atomic
def realization_decide(
    *, actor: Any, solution: Solution, decision: str, reason: str = ""
) -> Realization:
    """Record (or change) the need owner's decision on ``solution``: adopt,
    pilot, innovation procurement, further development or decline (a reason
    is required). A change keeps the old decision in the audit log."""
    _require_manager(actor, solution)
    _require_submitted(solution)
    decision, reason = _clean_decision(decision, reason)
    now = timezone.now()
    realization = Realization.objects.select_for_update().filter(solution=solution).first()
    if realization is None:
        try:
            with transaction.atomic():  # a savepoint: another need owner may be first
                realization = Realization.objects.create(
                    solution=solution,
                    decision=decision,
                    reason=reason,
                    decided_by=actor,
                    decided_at=now,
                )
        except IntegrityError:
            realization = Realization.objects.select_for_update().get(solution=solution)
        else:
            log_action(
                realization,
                "realization.realization.decided",
                actor=actor,
                data={"solution": solution.pk, "decision": decision, "reason": reason},
            )
            _answer_follow_ups(solution, now, actor=actor, by="decision")
            return realization
    if realization.decision != decision or realization.reason != reason:
        old = {"decision": realization.decision, "reason": realization.reason}
        realization.decision = decision
        realization.reason = reason
        realization.decided_by = actor
        realization.decided_at = now
        realization.save(
            update_fields=["decision", "reason", "decided_by", "decided_at", "updated_at"]
        )
        log_action(
            realization,
            "realization.realization.changed",
            actor=actor,
            data={
                "solution": solution.pk,
                "old": old,
                "new": {"decision": decision, "reason": reason},
            },
        )
    else:
        return realization  # the same decision again: nothing changes
    _answer_follow_ups(solution, now, actor=actor, by="decision")
    return realization


# --- milestones -------------------------------------------------------------------------


def _clean_milestone(when: Any, title: str, update: str) -> tuple[date, str, str]:
    errors: dict[str, list[str]] = {}
    title = " ".join(str(title or "").split())
    update = str(update or "").strip()
    if not title:
        errors["title"] = [_("Give the milestone a title.")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [
            _("The title is too long: at most %(max)d characters.") % {"max": TITLE_MAX}
        ]
    if len(update) > UPDATE_MAX:
        errors["update"] = [
            _("The update is too long: at most %(max)d characters.") % {"max": UPDATE_MAX}
        ]
    if isinstance(when, datetime) or not isinstance(when, date):
        errors["date"] = [_("Give the milestone's date.")]
    else:
        latest = _years_ahead(timezone.localdate(), MILESTONE_MAX_YEARS_AHEAD)
        if when.year < MILESTONE_FIRST_YEAR:
            errors["date"] = [
                _("The date is too early: from the year %(year)d on.")
                % {"year": MILESTONE_FIRST_YEAR}
            ]
        elif when > latest:
            errors["date"] = [
                _("The date is too far ahead: at most %(years)d years from today.")
                % {"years": MILESTONE_MAX_YEARS_AHEAD}
            ]
    if errors:
        raise ApplicationError(errors)
    return when, title, update


def _require_still_there(milestone: Milestone) -> None:
    """Lock the milestone's row; refuse when someone removed it meanwhile."""
    if not Milestone.objects.select_for_update().filter(pk=milestone.pk).exists():
        raise ApplicationError(_("The milestone has been removed in the meantime."))


def _milestone_data(milestone: Milestone) -> dict[str, Any]:
    return {
        "date": milestone.date.isoformat(),
        "title": milestone.title,
        "update": milestone.update,
    }


@transaction.atomic
def milestone_add(
    *, actor: Any, realization: Realization, date: date, title: str, update: str = ""
) -> Milestone:
    """Add a milestone (a date, a title and a short update) to a realization."""
    solution = realization.solution
    _require_manager(actor, solution)
    _require_submitted(solution)
    when, title, update = _clean_milestone(date, title, update)
    milestone = Milestone.objects.create(
        realization=realization, date=when, title=title, update=update, created_by=actor
    )
    log_action(
        milestone,
        "realization.milestone.added",
        actor=actor,
        data={"solution": solution.pk, **_milestone_data(milestone)},
    )
    _answer_follow_ups(solution, timezone.now(), actor=actor, by="milestone")
    return milestone


@transaction.atomic
def milestone_update(
    *, actor: Any, milestone: Milestone, date: date, title: str, update: str = ""
) -> Milestone:
    """Change a milestone's date, title or update; the old values are audited."""
    solution = milestone.realization.solution
    _require_manager(actor, solution)
    _require_submitted(solution)
    when, title, update = _clean_milestone(date, title, update)
    _require_still_there(milestone)
    old = _milestone_data(milestone)
    milestone.date, milestone.title, milestone.update = when, title, update
    new = _milestone_data(milestone)
    if old == new:
        return milestone
    milestone.save(update_fields=["date", "title", "update", "updated_at"])
    log_action(
        milestone,
        "realization.milestone.changed",
        actor=actor,
        data={"solution": solution.pk, "old": old, "new": new},
    )
    _answer_follow_ups(solution, timezone.now(), actor=actor, by="milestone")
    return milestone


@transaction.atomic
def milestone_delete(*, actor: Any, milestone: Milestone) -> None:
    """Remove a milestone; what it said stays in the audit log."""
    realization = milestone.realization
    solution = realization.solution
    _require_manager(actor, solution)
    _require_submitted(solution)
    _require_still_there(milestone)
    data = {"solution": solution.pk, "milestone": milestone.pk, **_milestone_data(milestone)}
    milestone.delete()
    log_action(realization, "realization.milestone.deleted", actor=actor, data=data)


# --- follow-ups -------------------------------------------------------------------------


def _enqueue_follow_up(follow_up_id: int, due_at: datetime) -> None:
    """A deferred task per follow-up where the task backend can wait until a
    time (the database backend can); elsewhere the sweep
    (``hack365 realization remind``, or the task send_due_follow_ups) sends it."""
    from .tasks import send_follow_up

    if not send_follow_up.get_backend().supports_defer:
        return
    send_follow_up.using(run_after=due_at).enqueue(follow_up_id)


@transaction.atomic
def follow_ups_schedule(
    *, solution: Solution, awarded_at: datetime, actor: Any = None
) -> list[FollowUp]:
    """The follow-ups of ``solution``, due 6 and 12 calendar months after
    ``awarded_at`` (an aware datetime). Idempotent: a follow-up that exists
    is kept (moved earlier, if not sent yet, when this award is earlier), so
    a second award does not ask twice. New and moved follow-ups are audited
    (``actor``: who published the award, if anyone)."""
    if timezone.is_naive(awarded_at):
        raise ValueError("awarded_at must be an aware datetime")
    follow_ups = []
    for months in FOLLOW_UP_MONTHS:
        due_at = add_months(awarded_at, months)
        follow_up, created = FollowUp.objects.select_for_update().get_or_create(
            solution=solution, months=months, defaults={"due_at": due_at}
        )
        data: dict[str, Any] = {
            "solution": solution.pk,
            "months": months,
            "awarded_at": timezone.localtime(awarded_at).isoformat(),
            "due_at": timezone.localtime(due_at).isoformat(),
        }
        if created:
            log_action(follow_up, "realization.follow_up.scheduled", actor=actor, data=data)
        elif follow_up.sent_at is None and due_at < follow_up.due_at:
            old_due_at = follow_up.due_at
            follow_up.due_at = due_at
            follow_up.save(update_fields=["due_at", "updated_at"])
            log_action(
                follow_up,
                "realization.follow_up.rescheduled",
                actor=actor,
                data={**data, "old_due_at": timezone.localtime(old_due_at).isoformat()},
            )
            created = True
        if created:
            transaction.on_commit(partial(_enqueue_follow_up, follow_up.pk, follow_up.due_at))
        follow_ups.append(follow_up)
    return follow_ups


def follow_up_recipients(solution: Solution) -> list[Any]:
    """Who is asked: the need owners (active, with an e-mail address) of the
    challenge's owner organisation; if it has none, those of its co-owners."""
    challenge = solution.challenge

    def need_owners(**where: Any) -> list[Any]:
        memberships = (
            Membership.objects.filter(role=MembershipRole.NEED_OWNER, user__is_active=True, **where)
            .exclude(user__email="")
            .select_related("user__profile")
            .order_by("user_id")
        )
        people: dict[int, Any] = {}
        for membership in memberships:
            people.setdefault(membership.user_id, membership.user)
        return list(people.values())

    return need_owners(organization_id=challenge.owner_id) or need_owners(
        organization__co_owned_challenges=challenge
    )


def recipient_language(user: Any) -> str:
    """The first site language in the user's profile, else Swedish."""
    site = [code for code, _name in settings.LANGUAGES]
    profile = getattr(user, "profile", None)
    for code in getattr(profile, "languages", None) or []:
        if code in site:
            return str(code)
    return "sv"


def _send_reminder(follow_up: FollowUp, realization: Realization | None, person: Any) -> None:
    """One reminder, in ``person``'s language, with an absolute link (the
    site's address is settings.HACK365["SITE_URL"]: no request to take it from)."""
    solution = follow_up.solution
    with translation.override(recipient_language(person)):
        context = {
            "follow_up": follow_up,
            "solution": solution,
            "challenge": solution.challenge,
            "realization": realization,
            "recipient": person,
            "link": settings.HACK365["SITE_URL"].rstrip("/")
            + reverse("realization:solution", kwargs={"pk": solution.pk}),
        }
        subject = render_to_string("realization/email/follow_up_subject.txt", context)
        body = render_to_string("realization/email/follow_up_body.txt", context)
    send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [person.email])


class _Claim(NamedTuple):
    follow_up: FollowUp
    # this follow-up's pk and those of the solution's earlier ones it stands for
    pks: list[int]
    # True when the solution has no published award any more: nothing to ask
    skipped: bool


def _claim(follow_up_id: int, now: datetime) -> _Claim | None:
    """Mark the follow-up, and the solution's earlier ones still unsent, sent
    at ``now``, in a short transaction of its own committed before any e-mail
    goes out (no lock is held while the mail server is talked to). The
    conditional update makes sure only one worker claims it; None when it was
    not (any more) to be sent. A follow-up whose solution no longer has an
    award in a published category (the award was revoked) stays marked, as
    not needed, and is audited as skipped."""
    with transaction.atomic():
        claimed = FollowUp.objects.filter(
            pk=follow_up_id,
            sent_at__isnull=True,
            answered_at__isnull=True,
            due_at__lte=now,
            solution__status=SolutionStatus.SUBMITTED,
        ).update(sent_at=now, updated_at=now)
        if not claimed:
            return None
        follow_up = FollowUp.objects.select_related(
            "solution", "solution__team", "solution__challenge", "solution__challenge__owner"
        ).get(pk=follow_up_id)
        earlier = list(
            FollowUp.objects.select_for_update()
            .filter(
                solution_id=follow_up.solution_id,
                sent_at__isnull=True,
                answered_at__isnull=True,
                due_at__lte=follow_up.due_at,
            )
            .values_list("pk", flat=True)
        )
        if earlier:
            FollowUp.objects.filter(pk__in=earlier, sent_at__isnull=True).update(
                sent_at=now, updated_at=now
            )
        awarded = Award.objects.filter(
            solution_id=follow_up.solution_id, category__published_at__isnull=False
        ).exists()
        if not awarded:
            log_action(
                follow_up,
                "realization.follow_up.skipped",
                data={
                    "solution": follow_up.solution_id,
                    "months": follow_up.months,
                    "reason": "no published award",
                    "with_earlier": len(earlier),
                },
            )
    if not awarded:
        logger.info(
            "Follow-up %s: solution %s no longer has a published award; no reminder is sent",
            follow_up_id,
            follow_up.solution_id,
        )
    return _Claim(follow_up, [follow_up_id, *earlier], skipped=not awarded)


def _claim_and_send(follow_up_id: int, now: datetime) -> int | None:
    """Send one follow-up if it is due, not sent and not answered; None when
    it was not (any more) to be sent or could not be sent to anyone, else the
    number of e-mails sent. The solution's earlier follow-ups still unsent are
    sent with it: one e-mail asks for them all (an award long ago does not
    bring two reminders).

    Claimed first (see ``_claim``), then sent to each need owner outside the
    transaction. When no e-mail could be sent the claim is released (only if
    it is still ours), so the next sweep tries again; when some were sent it
    stays sent, and the failures are logged: nobody gets the reminder twice."""
    claim = _claim(follow_up_id, now)
    if claim is None or claim.skipped:
        return None
    follow_up = claim.follow_up
    people = follow_up_recipients(follow_up.solution)
    realization = Realization.objects.filter(solution_id=follow_up.solution_id).first()
    sent = 0
    failed: list[int] = []
    for person in people:
        try:
            _send_reminder(follow_up, realization, person)
        except Exception:
            failed.append(person.pk)
            logger.exception(
                "Follow-up %s: the reminder to user %s could not be sent", follow_up_id, person.pk
            )
        else:
            sent += 1
    if people and not sent:
        FollowUp.objects.filter(pk__in=claim.pks, sent_at=now).update(
            sent_at=None, updated_at=timezone.now()
        )
        logger.error(
            "Follow-up %s: no reminder could be sent to its %d need owner(s); "
            "the next sweep tries again",
            follow_up_id,
            len(people),
        )
        return None
    log_action(
        follow_up,
        "realization.follow_up.sent",
        data={
            "solution": follow_up.solution_id,
            "months": follow_up.months,
            "to": sent,
            "failed": failed,
            "with_earlier": len(claim.pks) - 1,
        },
    )
    if failed:
        logger.warning(
            "Follow-up %s: sent to %d need owner(s); not to users %s (not retried, so that "
            "nobody gets it twice)",
            follow_up_id,
            sent,
            failed,
        )
    if not people:
        logger.warning("Follow-up %s: the challenge has no need owner to ask", follow_up_id)
    return sent


def follow_up_send(*, follow_up_id: int, now: datetime | None = None) -> int:
    """Send one follow-up if it is due, not sent and not answered (a decision
    or milestone recorded since it fell due answers it) and the solution
    still has a published award; returns the number of e-mails sent. The
    follow-up is claimed with a conditional update committed before the
    sending, so two workers never both send it; if no e-mail can be sent it
    is released for the next sweep (see ``_claim_and_send``)."""
    return _claim_and_send(follow_up_id, now or timezone.now()) or 0


def follow_ups_schedule_missing() -> int:
    """Schedule the follow-ups of awarded solutions that have none (an award
    published some other way than through the judging services, or before
    follow-ups existed), counted from its first published award; returns
    how many solutions got them."""
    missing = (
        Award.objects.filter(category__published_at__isnull=False)
        .exclude(solution__follow_ups__isnull=False)
        .values("solution_id")
        .annotate(first=Min("category__published_at"))
        .order_by("solution_id")
    )
    count = 0
    for row in missing:
        solution = Solution.objects.get(pk=row["solution_id"])
        follow_ups_schedule(solution=solution, awarded_at=row["first"])
        count += 1
    return count


def follow_ups_send_due(*, now: datetime | None = None) -> int:
    """The sweep, for cron or a periodic task: schedule missing follow-ups,
    then send every follow-up that is due and not sent, the latest of each
    solution first; returns how many reminders were sent."""
    now = now or timezone.now()
    follow_ups_schedule_missing()
    due = list(
        FollowUp.objects.filter(
            sent_at__isnull=True,
            answered_at__isnull=True,
            due_at__lte=now,
            solution__status=SolutionStatus.SUBMITTED,
        )
        .order_by("-due_at", "-pk")
        .values_list("pk", flat=True)
    )
    return sum(1 for pk in due if _claim_and_send(pk, now) is not None)
