"""Writes for what follows the scoring: the shortlist, feedback to the
teams, award categories and awards, and the people's choice vote.

Every function checks who may act (``PermissionDenied``) and the rules
(``ApplicationError`` with a message to show), changes nothing when it
refuses, and writes the audit log. Organizers decide everything here except
votes, which any account with a verified e-mail address may cast.

An award category is private until it is published; publishing it makes its
awards public (the winners page) and asks the need owner for follow-ups 6
and 12 months later (``hack365.realization.services.follow_ups_schedule``);
an award given to an already published category does the same at once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hack365.challenges.forms import EARLIEST_YEAR, LATEST_YEAR
from hack365.challenges.models import PUBLIC_STATUSES, Challenge, Event
from hack365.core.audit import log_action
from hack365.core.errors import ApplicationError, PermissionDenied
from hack365.core.permissions import is_authenticated, require_organizer
from hack365.submissions.models import Solution, SolutionStatus

from .models import (
    GUIDANCE_MAX,
    TITLE_MAX,
    Award,
    AwardCategory,
    AwardKind,
    Entry,
    RoundStatus,
    Vote,
)

MAX_PLACE = 100


def _now() -> datetime:
    return timezone.now()


def _same_minute(one: datetime, other: datetime) -> bool:
    return one.replace(second=0, microsecond=0) == other.replace(second=0, microsecond=0)


def _audit_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _clean_text(value: str | None, *, field: str, max_length: int, required: bool = False) -> str:
    text = (value or "").strip()
    if "\x00" in text:
        raise ValidationError({field: _("The text contains characters that are not allowed.")})
    if len(text) > max_length:
        raise ValidationError(
            {
                field: _("Please write at most %(max)d characters (you wrote %(n)d).")
                % {"max": max_length, "n": len(text)}
            }
        )
    if required and not text:
        raise ValidationError({field: _("Please fill in this field.")})
    return text


# --- the shortlist and feedback (entries of a closed round) ---------------------------


def _lock_entry(entry: Entry) -> Entry:
    return Entry.objects.select_for_update(of=("self",)).select_related("round").get(pk=entry.pk)


def _require_closed(entry: Entry) -> None:
    if entry.round.status != RoundStatus.CLOSED:
        raise ApplicationError(
            _("The evaluation round is not closed yet; wait until every score is locked."),
            code="round_open",
        )


@transaction.atomic
def entry_shortlist(*, actor: Any, entry: Entry, shortlisted: bool) -> Entry:
    """Put an entry of a closed round on the shortlist (a next round with
    this round as its previous round evaluates the shortlist) or take it off."""
    require_organizer(actor)
    entry = _lock_entry(entry)
    _require_closed(entry)
    if entry.shortlisted == shortlisted:
        return entry
    entry.shortlisted = shortlisted
    entry.save(update_fields=["shortlisted"])
    log_action(
        entry,
        "judging.entry.shortlisted" if shortlisted else "judging.entry.unshortlisted",
        actor=actor,
        data={"round": entry.round_id, "solution": entry.solution_id},
    )
    return entry


@transaction.atomic
def feedback_release(*, actor: Any, entry: Entry, released: bool) -> Entry:
    """Let the entry's team see its scores per criterion and the jurors'
    justifications (never who wrote them), or hide them again."""
    require_organizer(actor)
    entry = _lock_entry(entry)
    _require_closed(entry)
    if (entry.feedback_released_at is not None) == released:
        return entry
    entry.feedback_released_at = _now() if released else None
    entry.save(update_fields=["feedback_released_at"])
    log_action(
        entry,
        "judging.feedback.released" if released else "judging.feedback.withdrawn",
        actor=actor,
        data={"round": entry.round_id, "solution": entry.solution_id},
    )
    return entry


# --- award categories -------------------------------------------------------------------


def _scope(event: Event | None, challenge: Challenge | None) -> None:
    if (event is None) == (challenge is None):
        raise ApplicationError(
            _("An award category belongs to either an event or a challenge."), code="scope"
        )


def _clean_window(
    kind: str, voting_opens: datetime | None, voting_closes: datetime | None
) -> tuple[datetime | None, datetime | None]:
    if kind != AwardKind.PEOPLE:
        return None, None
    errors: dict[str, list[str]] = {}
    if voting_opens is None:
        errors["voting_opens"] = [_("A people's choice needs the time the voting opens.")]
    if voting_closes is None:
        errors["voting_closes"] = [_("A people's choice needs the time the voting closes.")]
    for name, value in (("voting_opens", voting_opens), ("voting_closes", voting_closes)):
        if value is not None and timezone.is_naive(value):
            errors[name] = [_("Please give a time with its time zone.")]
        elif value is not None and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
            errors[name] = [
                _("Please give a date in the years %(earliest)d to %(latest)d.")
                % {"earliest": EARLIEST_YEAR, "latest": LATEST_YEAR}
            ]
    if errors:
        raise ValidationError(errors)
    assert voting_opens is not None and voting_closes is not None
    if voting_closes <= voting_opens:
        raise ValidationError(
            {"voting_closes": _("The voting must close after it opens.")}, code="window"
        )
    return voting_opens, voting_closes


def _clean_category(
    *,
    name: str,
    description: str,
    kind: str,
    voting_opens: datetime | None,
    voting_closes: datetime | None,
) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for field, value, max_length, required in (
        ("name", name, TITLE_MAX, True),
        ("description", description, GUIDANCE_MAX, False),
    ):
        try:
            cleaned[field] = _clean_text(
                value, field=field, max_length=max_length, required=required
            )
        except ValidationError as error:
            errors.update(error.message_dict)
    if kind not in AwardKind.values:
        errors["kind"] = [_("Please choose how the award is decided.")]
    if errors:
        raise ValidationError(errors)
    cleaned["kind"] = kind
    cleaned["voting_opens"], cleaned["voting_closes"] = _clean_window(
        kind, voting_opens, voting_closes
    )
    return cleaned


def _categories_of(event: Event | None, challenge: Challenge | None) -> Any:
    if event is not None:
        return AwardCategory.objects.filter(event=event)
    return AwardCategory.objects.filter(challenge=challenge)


def _require_unique_name(category: AwardCategory, name: str) -> None:
    clash = _categories_of(category.event, category.challenge).filter(name__iexact=name)
    if category.pk:
        clash = clash.exclude(pk=category.pk)
    if clash.exists():
        raise ValidationError({"name": _("There is already an award category with that name.")})


@transaction.atomic
def award_category_create(
    *,
    actor: Any,
    event: Event | None = None,
    challenge: Challenge | None = None,
    name: str,
    description: str = "",
    kind: str,
    voting_opens: datetime | None = None,
    voting_closes: datetime | None = None,
) -> AwardCategory:
    require_organizer(actor)
    _scope(event, challenge)
    cleaned = _clean_category(
        name=name,
        description=description,
        kind=kind,
        voting_opens=voting_opens,
        voting_closes=voting_closes,
    )
    category = AwardCategory(event=event, challenge=challenge, **cleaned)
    _require_unique_name(category, cleaned["name"])
    last = _categories_of(event, challenge).aggregate(last=Max("position"))["last"]
    category.position = 0 if last is None else last + 1
    category.save()
    log_action(
        category,
        "judging.award_category.created",
        actor=actor,
        data={"event": category.event_id, "challenge": category.challenge_id, "kind": kind},
    )
    return category


def _lock_category(category: AwardCategory) -> AwardCategory:
    return (
        AwardCategory.objects.select_for_update(of=("self",))
        .select_related("event", "challenge")
        .get(pk=category.pk)
    )


@transaction.atomic
def award_category_update(
    *,
    actor: Any,
    category: AwardCategory,
    name: str,
    description: str = "",
    kind: str,
    voting_opens: datetime | None = None,
    voting_closes: datetime | None = None,
) -> AwardCategory:
    """Change a category. Its kind and its voting window are fixed once it
    is published or has votes: moving the window would let votes in or out
    after people have voted (or after the result is out). The audit entry
    records each changed field's old and new value."""
    require_organizer(actor)
    category = _lock_category(category)
    cleaned = _clean_category(
        name=name,
        description=description,
        kind=kind,
        voting_opens=voting_opens,
        voting_closes=voting_closes,
    )
    for field in ("voting_opens", "voting_closes"):
        old, new = getattr(category, field), cleaned[field]
        if old is not None and new is not None and _same_minute(old, new):
            cleaned[field] = old  # as shown in the form, which has no seconds
    published = category.published_at is not None
    has_votes = category.votes.exists()
    if kind != category.kind:
        if published:
            raise ValidationError(
                {"kind": _("The category is published; how it is decided can no longer change.")}
            )
        if has_votes:
            raise ValidationError(
                {"kind": _("People have voted; the category must stay a people's choice.")}
            )
    moved = [
        field
        for field in ("voting_opens", "voting_closes")
        if getattr(category, field) != cleaned[field]
    ]
    if moved and (published or has_votes):
        if published:
            message = _("The category is published; the voting times can no longer change.")
        else:
            message = _("People have voted; the voting times can no longer change.")
        raise ValidationError(dict.fromkeys(moved, message), code="window_fixed")
    _require_unique_name(category, cleaned["name"])
    changed = [f for f, v in cleaned.items() if getattr(category, f) != v]
    if not changed:
        return category
    data = {
        field: [_audit_value(getattr(category, field)), _audit_value(cleaned[field])]
        for field in changed
    }
    for field in changed:
        setattr(category, field, cleaned[field])
    category.save(update_fields=[*changed, "updated_at"])
    log_action(category, "judging.award_category.updated", actor=actor, data=data)
    return category


def voting_window_fixed(category: AwardCategory) -> bool:
    """The voting times can no longer change: published, or people have voted."""
    return category.published_at is not None or category.votes.exists()


@transaction.atomic
def award_category_delete(*, actor: Any, category: AwardCategory) -> None:
    """Only an unpublished category without awards or votes."""
    require_organizer(actor)
    category = _lock_category(category)
    if category.published_at is not None:
        raise ApplicationError(
            _("The category is published and cannot be deleted."), code="published"
        )
    if category.awards.exists():
        raise ApplicationError(
            _("The category has awards; revoke them before deleting it."), code="has_awards"
        )
    if category.votes.exists():
        raise ApplicationError(
            _("People have voted in this category; it cannot be deleted."), code="has_votes"
        )
    log_action(
        category,
        "judging.award_category.deleted",
        actor=actor,
        data={"name": category.name, "event": category.event_id},
    )
    category.delete()


def default_categories(event: Event) -> list[dict[str, Any]]:
    """The usual categories of an event (names in the active language)."""
    return [
        {
            "name": _("Hack for Sweden Award"),
            "description": _(
                "The solution that best meets a societal challenge with open data and "
                "can be put to use in the public sector."
            ),
            "kind": AwardKind.JURY,
        },
        {
            "name": _("Best use of open data"),
            "description": _("The solution that makes the most of open data."),
            "kind": AwardKind.JURY,
        },
        {
            "name": _("People's choice"),
            "description": _("Chosen by a public vote: one vote per verified account."),
            "kind": AwardKind.PEOPLE,
            "voting_opens": event.submission_deadline,
            "voting_closes": event.results_at
            if event.results_at > event.submission_deadline
            else None,
        },
    ]


@transaction.atomic
def award_categories_create_defaults(*, actor: Any, event: Event) -> list[AwardCategory]:
    """The default categories ("Hack for Sweden Award", "Best use of open
    data", "People's choice", named in the actor's language) that the event
    does not have yet. The people's choice votes from the submission deadline
    until the results are published."""
    require_organizer(actor)
    made = []
    for fields in default_categories(event):
        if AwardCategory.objects.filter(event=event, name__iexact=fields["name"]).exists():
            continue
        if fields["kind"] == AwardKind.PEOPLE and fields.get("voting_closes") is None:
            continue  # no room for a voting window between the deadline and the results
        made.append(award_category_create(actor=actor, event=event, **fields))
    return made


# --- awards ---------------------------------------------------------------------------


def eligible_solutions(category: AwardCategory) -> QuerySet[Solution]:
    """The solutions that may win in (or be voted for in) ``category``:
    submitted, not withdrawn, to a public challenge of its event or the
    challenge itself."""
    solutions = Solution.objects.filter(
        status=SolutionStatus.SUBMITTED, challenge__status__in=PUBLIC_STATUSES
    )
    if category.event_id is not None:
        return solutions.filter(challenge__event_id=category.event_id)
    return solutions.filter(challenge=category.challenge)


def _require_eligible(category: AwardCategory, solution: Solution) -> None:
    if not eligible_solutions(category).filter(pk=solution.pk).exists():
        raise ValidationError(
            {
                "solution": _(
                    "Only a submitted solution of this category's event or challenge can be chosen."
                )
            },
            code="not_eligible",
        )


def _schedule_follow_ups(solution: Solution, awarded_at: datetime, *, actor: Any) -> None:
    from hack365.realization.services import follow_ups_schedule

    follow_ups_schedule(solution=solution, awarded_at=awarded_at, actor=actor)


@transaction.atomic
def award_give(
    *,
    actor: Any,
    category: AwardCategory,
    solution: Solution,
    place: int = 1,
    citation: str = "",
) -> Award:
    """Give ``solution`` an award in ``category`` (place 1 is the winner;
    several solutions may share a place)."""
    require_organizer(actor)
    category = _lock_category(category)
    errors: dict[str, list[str]] = {}
    if not isinstance(place, int) or isinstance(place, bool) or not 1 <= place <= MAX_PLACE:
        errors["place"] = [_("The place is a whole number from 1 to %(max)d.") % {"max": MAX_PLACE}]
    try:
        citation = _clean_text(citation, field="citation", max_length=GUIDANCE_MAX)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    _require_eligible(category, solution)
    if Award.objects.filter(category=category, solution=solution).exists():
        raise ValidationError(
            {"solution": _("The solution already has an award in this category.")},
            code="duplicate",
        )
    try:
        with transaction.atomic():
            award = Award.objects.create(
                category=category,
                solution=solution,
                place=place,
                citation=citation,
                awarded_by=actor,
            )
    except IntegrityError:
        raise ValidationError(
            {"solution": _("The solution already has an award in this category.")},
            code="duplicate",
        ) from None
    log_action(
        award,
        "judging.award.given",
        actor=actor,
        data={"category": category.pk, "solution": solution.pk, "place": place},
    )
    if category.published_at is not None:
        _schedule_follow_ups(solution, award.created_at, actor=actor)
    return award


@transaction.atomic
def award_revoke(*, actor: Any, award: Award) -> None:
    """Take an award back (published or not; the audit log keeps it). The
    follow-ups already scheduled stay: the need owner may still report."""
    require_organizer(actor)
    locked = Award.objects.select_for_update().filter(pk=award.pk).first()
    if locked is None:
        raise ApplicationError(_("The award has already been revoked."), code="gone")
    log_action(
        locked,
        "judging.award.revoked",
        actor=actor,
        data={
            "category": locked.category_id,
            "solution": locked.solution_id,
            "place": locked.place,
        },
    )
    locked.delete()


def voting_state(category: AwardCategory, now: datetime | None = None) -> str:
    """ "before", "open" or "closed" (server time); "" for a jury award."""
    if category.kind != AwardKind.PEOPLE or category.voting_opens is None:
        return ""
    now = now or _now()
    if now < category.voting_opens:
        return "before"
    if category.voting_closes is not None and now >= category.voting_closes:
        return "closed"
    return "open"


@transaction.atomic
def award_category_publish(*, actor: Any, category: AwardCategory) -> AwardCategory:
    """Make the category and its awards public and schedule the follow-ups."""
    require_organizer(actor)
    category = _lock_category(category)
    if category.published_at is not None:
        raise ApplicationError(_("The category is already published."), code="published")
    if voting_state(category) in ("before", "open"):
        raise ApplicationError(
            _("The voting has not closed yet; publish the people's choice after it closes."),
            code="voting_open",
        )
    awards = list(category.awards.select_related("solution"))
    if not awards:
        raise ApplicationError(
            _("Give at least one award before publishing the category."), code="empty"
        )
    category.published_at = _now()
    category.save(update_fields=["published_at", "updated_at"])
    log_action(
        category,
        "judging.award_category.published",
        actor=actor,
        data={"awards": [a.solution_id for a in awards]},
    )
    for award in awards:
        _schedule_follow_ups(award.solution, category.published_at, actor=actor)
    return category


def vote_counts(category: AwardCategory) -> dict[int, int]:
    """Solution id -> number of votes."""
    rows = (
        Vote.objects.filter(category=category)
        .values("solution_id")
        .annotate(n=Count("id"))
        .values_list("solution_id", "n")
    )
    return dict(rows)


@transaction.atomic
def award_give_top_voted(*, actor: Any, category: AwardCategory) -> list[Award]:
    """After the voting closes: place 1 to the solution with the most votes
    (every solution with as many, on a tie) among those still eligible."""
    require_organizer(actor)
    category = _lock_category(category)
    if category.kind != AwardKind.PEOPLE:
        raise ApplicationError(_("This category is not decided by a vote."), code="not_people")
    if voting_state(category) != "closed":
        raise ApplicationError(_("The voting has not closed yet."), code="voting_open")
    eligible = set(eligible_solutions(category).values_list("pk", flat=True))
    counts = {pk: n for pk, n in vote_counts(category).items() if pk in eligible}
    if not counts:
        raise ApplicationError(_("Nobody has voted for an eligible solution."), code="no_votes")
    top = max(counts.values())
    winners = Solution.objects.filter(pk__in=[pk for pk, n in counts.items() if n == top])
    given = []
    for solution in winners.order_by("pk"):
        if Award.objects.filter(category=category, solution=solution).exists():
            continue
        given.append(
            award_give(
                actor=actor,
                category=category,
                solution=solution,
                citation=ngettext(
                    "%(n)d vote in the public vote.", "%(n)d votes in the public vote.", top
                )
                % {"n": top},
            )
        )
    if not given:
        raise ApplicationError(
            _("The most voted solution already has the award."), code="already_given"
        )
    return given


# --- the people's choice vote ---------------------------------------------------------


def has_verified_email(user: Any) -> bool:
    """The account's own e-mail address is verified (allauth)."""
    from allauth.account.models import EmailAddress

    if not is_authenticated(user) or not user.is_active or not user.email:
        return False
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def _require_voter(actor: Any, category: AwardCategory) -> None:
    if not is_authenticated(actor) or not actor.is_active:
        raise PermissionDenied(_("You need to log in to vote."))
    if not has_verified_email(actor):
        raise PermissionDenied(
            _("Only accounts with a verified e-mail address may vote. Verify yours first.")
        )
    if category.kind != AwardKind.PEOPLE:
        raise ApplicationError(_("This award is not decided by a public vote."), code="not_people")
    state = voting_state(category)
    if state == "before":
        raise ApplicationError(_("The voting has not opened yet."), code="not_open")
    if state == "closed":
        raise ApplicationError(_("The voting has closed."), code="closed")


@transaction.atomic
def vote_cast(*, actor: Any, category: AwardCategory, solution: Solution) -> Vote:
    """One vote per verified account and category; voting again moves the vote."""
    category = AwardCategory.objects.select_related("event", "challenge").get(pk=category.pk)
    _require_voter(actor, category)
    _require_eligible(category, solution)
    existing = Vote.objects.select_for_update().filter(category=category, user=actor).first()
    if existing is not None:
        if existing.solution_id == solution.pk:
            return existing
        previous = existing.solution_id
        existing.solution = solution
        existing.save(update_fields=["solution"])
        log_action(
            existing,
            "judging.vote.changed",
            actor=actor,
            data={"category": category.pk, "from": previous, "to": solution.pk},
        )
        return existing
    try:
        with transaction.atomic():
            vote = Vote.objects.create(category=category, solution=solution, user=actor)
    except IntegrityError:
        raise ApplicationError(
            _(
                "Your vote was being counted in another request at the same moment. "
                "Reload the page to see which solution your vote went to."
            ),
            code="race",
        ) from None
    log_action(
        vote,
        "judging.vote.cast",
        actor=actor,
        data={"category": category.pk, "solution": solution.pk},
    )
    return vote


@transaction.atomic
def vote_withdraw(*, actor: Any, category: AwardCategory) -> None:
    category = AwardCategory.objects.get(pk=category.pk)
    _require_voter(actor, category)
    vote = Vote.objects.select_for_update().filter(category=category, user=actor).first()
    if vote is None:
        raise ApplicationError(_("You have not voted in this category."), code="no_vote")
    log_action(
        vote,
        "judging.vote.withdrawn",
        actor=actor,
        data={"category": category.pk, "solution": vote.solution_id},
    )
    vote.delete()
