"""Writes for challenges, their questions and events.

Every function here checks who may act (``PermissionDenied``) and whether the
object's state allows it (``ApplicationError``, with a translated message),
changes nothing when it refuses, and writes the audit log."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hack365.core.audit import log_action
from hack365.core.errors import ApplicationError, PermissionDenied
from hack365.core.models import DataTheme
from hack365.organizations.models import Organization

from . import rules
from .models import Challenge, ChallengeStatus, Event, Question
from .rules import Viewer, viewer_for

QUESTIONS_PER_HOUR = 10
QUESTION_MAX_LENGTH = 3000
ANSWER_MAX_LENGTH = 10000
REASON_MAX_LENGTH = 300
COMMENT_MAX_LENGTH = 5000
# Addresses that would collide with pages (challenges/new/, events/new/).
RESERVED_SLUGS = frozenset({"new", "edit"})

CONTENT_FIELDS = ("title", "summary", "problem", "expected_benefit", "target_group", "level")
CHALLENGE_UPDATE_FIELDS = frozenset(
    {*CONTENT_FIELDS, "owner", "themes", "co_owners", "event", "deadline", "max_team_size"}
)
EVENT_FIELDS = (
    "name",
    "kind",
    "description",
    "location",
    "registration_opens",
    "hacking_starts",
    "submission_deadline",
    "evaluation_ends",
    "results_at",
    "max_team_size",
)


# --- text helpers -------------------------------------------------------------

_TRANSLITERATE = str.maketrans(
    {
        "å": "a",
        "ä": "a",
        "ö": "o",
        "Å": "A",
        "Ä": "A",
        "Ö": "O",
        "æ": "ae",
        "Æ": "AE",
        "ø": "o",
        "Ø": "O",
        "ß": "ss",
    }
)


def search_key(text: str) -> str:
    """Case-folded, NFC-normalised text with single spaces: the form of both
    ``Challenge.search_text`` and the words searched for."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def challenge_search_text(challenge: Challenge) -> str:
    """The searchable text of a saved challenge (its owner and co-owners included)."""
    parts = [
        challenge.title,
        challenge.summary,
        challenge.problem,
        challenge.expected_benefit,
        challenge.target_group,
        challenge.owner.name if challenge.owner_id else "",
    ]
    if challenge.pk is not None:
        parts.extend(org.name for org in challenge.co_owners.all())
    return search_key("\n".join(p for p in parts if p))


def slug_base(text: str, max_length: int) -> str:
    """A readable ASCII slug; Swedish letters become a/a/o (not dropped)."""
    slug = slugify(text.translate(_TRANSLITERATE))
    if len(slug) > max_length:
        cut = slug[:max_length]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug.strip("-")


def unique_slug(
    model: type[models.Model], text: str, *, max_length: int, fallback: str, exclude_pk: Any = None
) -> str:
    base = slug_base(text, max_length - 4) or fallback
    qs = model._default_manager.filter(slug__startswith=base)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    taken = set(qs.values_list("slug", flat=True)) | RESERVED_SLUGS
    if base not in taken:
        return base
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = f"{base[: max_length - len(suffix)]}{suffix}"
        if candidate not in taken:
            return candidate
        n += 1


def _require_user(viewer: Viewer) -> None:
    if not viewer.authenticated:
        raise PermissionDenied(_("You need to log in to do this."))


def _require_organizer(viewer: Viewer) -> None:
    _require_user(viewer)
    if not viewer.organizer:
        raise PermissionDenied(_("Only organizers may do this."))


def _clean_text(value: str | None, *, field: str, max_length: int, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: _("Please fill in this field.")})
    if len(text) > max_length:
        raise ValidationError(
            {
                field: _("Please write at most %(max)d characters (you wrote %(n)d).")
                % {"max": max_length, "n": len(text)}
            }
        )
    return text


# --- challenges ---------------------------------------------------------------


def _lock_status(challenge: Challenge) -> None:
    """Re-read the status under a row lock so two transitions can't race."""
    challenge.status = (
        Challenge.objects.select_for_update()
        .filter(pk=challenge.pk)
        .values_list("status", flat=True)
        .get()
    )


def _validate_schedule(event: Event | None, deadline: datetime | None) -> None:
    if event is not None and deadline is not None:
        raise ValidationError(
            {
                "deadline": _(
                    "A challenge in an event uses the event's submission deadline; "
                    "leave the deadline empty."
                )
            }
        )


def _validate_owners(viewer: Viewer, owner: Organization) -> None:
    if not rules.may_own(viewer, [owner.pk]):
        raise PermissionDenied(
            _("You can only create challenges for organisations where you are a need owner.")
        )


def _co_owner_list(owner: Organization, co_owners: Iterable[Organization]) -> list[Organization]:
    return [org for org in co_owners if org.pk != owner.pk]


def _reindex(challenge: Challenge) -> None:
    challenge.search_text = challenge_search_text(challenge)
    challenge.save(update_fields=["search_text"])


@transaction.atomic
def challenge_create(
    *,
    user: Any,
    organization: Organization,
    title: str,
    summary: str,
    problem: str,
    expected_benefit: str,
    target_group: str,
    level: str,
    themes: Iterable[DataTheme] = (),
    co_owners: Iterable[Organization] = (),
    event: Event | None = None,
    deadline: datetime | None = None,
    max_team_size: int | None = None,
) -> Challenge:
    """A new draft challenge owned by ``organization``. Need owners of that
    organisation and organizers may create it."""
    viewer = viewer_for(user)
    _require_user(viewer)
    if not viewer.organizer and organization.pk not in viewer.need_owner_org_ids:
        raise PermissionDenied(
            _("You can only create challenges for organisations where you are a need owner.")
        )
    _validate_schedule(event, deadline)
    slug_max = Challenge._meta.get_field("slug").max_length or 100
    challenge = Challenge(
        title=(title or "").strip(),
        summary=(summary or "").strip(),
        problem=(problem or "").strip(),
        expected_benefit=(expected_benefit or "").strip(),
        target_group=(target_group or "").strip(),
        level=level,
        owner=organization,
        event=event,
        deadline=deadline if event is None else None,
        max_team_size=max_team_size,
        status=ChallengeStatus.DRAFT,
        created_by=viewer.user,
        slug=unique_slug(Challenge, title or "", max_length=slug_max, fallback="challenge"),
    )
    challenge.full_clean(exclude=["search_text"])
    challenge.save()
    challenge.themes.set(list(themes))
    challenge.co_owners.set(_co_owner_list(organization, co_owners))
    if organization.pk in viewer.need_owner_org_ids:
        challenge.contacts.add(viewer.user)
    _reindex(challenge)
    log_action(
        challenge,
        "challenges.challenge.created",
        actor=viewer.user,
        data={"owner": organization.pk, "slug": challenge.slug},
    )
    return challenge


@transaction.atomic
def challenge_update(*, user: Any, challenge: Challenge, **changes: Any) -> Challenge:
    """Change a challenge's content. Need owners (of the owner or a co-owner)
    may while it is a draft or changes are requested; organizers also while it
    is in review or published."""
    unknown = set(changes) - CHALLENGE_UPDATE_FIELDS
    if unknown:
        raise TypeError(f"challenge_update() got unknown fields: {sorted(unknown)}")
    viewer = viewer_for(user)
    _require_user(viewer)
    _lock_status(challenge)
    if not rules.may_edit_in_some_state(viewer, challenge):
        raise PermissionDenied(_("You may not change this challenge."))
    if not rules.can_edit(viewer, challenge):
        status = {"status": challenge.get_status_display()}
        if challenge.status in rules.ORGANIZER_EDITABLE:
            raise ApplicationError(
                _("The challenge has the status “%(status)s”; only organizers can change it now.")
                % status
            )
        raise ApplicationError(
            _("The challenge has the status “%(status)s” and can no longer be changed.") % status
        )

    new_owner: Organization = changes.get("owner", challenge.owner)
    if new_owner.pk != challenge.owner_id and not viewer.organizer:
        # Only the owner organisation's need owners hand a challenge over, and
        # only to another organisation of theirs.
        if not rules.is_owner_need_owner(viewer, challenge):
            raise PermissionDenied(_("Only the owner organisation may change the owner."))
        _validate_owners(viewer, new_owner)
    event = changes.get("event", challenge.event)
    deadline = changes.get("deadline", challenge.deadline)
    if "event" in changes and event is not None and "deadline" not in changes:
        deadline = None
    _validate_schedule(event, deadline)

    kept = (*CONTENT_FIELDS, "owner", "event", "deadline", "max_team_size")
    original = {f: getattr(challenge, f) for f in kept}
    changed: list[str] = []
    for field in CONTENT_FIELDS:
        if field in changes:
            value = changes[field]
            value = value.strip() if isinstance(value, str) else value
            if getattr(challenge, field) != value:
                setattr(challenge, field, value)
                changed.append(field)
    if new_owner.pk != challenge.owner_id:
        challenge.owner = new_owner
        changed.append("owner")
    if (event.pk if event else None) != challenge.event_id:
        challenge.event = event
        changed.append("event")
    if deadline != challenge.deadline:
        challenge.deadline = deadline
        changed.append("deadline")
    if "max_team_size" in changes and changes["max_team_size"] != challenge.max_team_size:
        challenge.max_team_size = changes["max_team_size"]
        changed.append("max_team_size")

    m2m_changed: list[str] = []
    if "themes" in changes:
        new = {t.pk for t in changes["themes"]}
        if new != {t.pk for t in challenge.themes.all()}:
            m2m_changed.append("themes")
    co_owner_values = _co_owner_list(new_owner, changes.get("co_owners", challenge.co_owners.all()))
    if {o.pk for o in co_owner_values} != rules.co_owner_ids(challenge):
        m2m_changed.append("co_owners")

    if changed:
        try:
            challenge.full_clean(exclude=["search_text", "slug"])
        except ValidationError:
            for field, value in original.items():
                setattr(challenge, field, value)
            raise
        challenge.save(update_fields=[*changed, "updated_at"])
    if "themes" in m2m_changed:
        challenge.themes.set(list(changes["themes"]))
    if "co_owners" in m2m_changed:
        challenge.co_owners.set(co_owner_values)
    if changed or m2m_changed:
        if hasattr(challenge, "_prefetched_objects_cache"):
            challenge._prefetched_objects_cache.clear()
        _reindex(challenge)
        log_action(
            challenge,
            "challenges.challenge.updated",
            actor=viewer.user,
            data={"fields": [*changed, *m2m_changed], "status": challenge.status},
        )
    return challenge


def _transition(
    viewer: Viewer,
    challenge: Challenge,
    *,
    to: ChallengeStatus,
    action: str,
    fields: Iterable[str] = (),
    data: dict[str, Any] | None = None,
) -> Challenge:
    old = challenge.status
    challenge.status = to
    challenge.save(update_fields=["status", *fields, "updated_at"])
    log_action(
        challenge,
        action,
        actor=viewer.user,
        data={"from": str(old), "to": str(to), **(data or {})},
    )
    return challenge


def _wrong_state(challenge: Challenge, sentence: str) -> ApplicationError:
    """``sentence`` says which states allow the transition; the current one is added."""
    current = _("This one has the status “%(status)s”.") % {
        "status": challenge.get_status_display()
    }
    return ApplicationError(f"{sentence} {current}")


def challenge_missing_fields(challenge: Challenge) -> list[str]:
    """The names of the fields a challenge still needs before review."""
    missing = [
        str(getattr(Challenge._meta.get_field(field), "verbose_name", field))
        for field in CONTENT_FIELDS
        if not str(getattr(challenge, field) or "").strip()
    ]
    if not challenge.themes.exists():
        missing.append(_("at least one theme"))
    return missing


@transaction.atomic
def challenge_submit_for_review(*, user: Any, challenge: Challenge) -> Challenge:
    """Draft or changes requested → in review (need owners and organizers)."""
    viewer = viewer_for(user)
    _require_user(viewer)
    _lock_status(challenge)
    if not rules.may_submit_role(viewer, challenge):
        raise PermissionDenied(_("Only the challenge's need owners may submit it for review."))
    if challenge.status not in rules.SUBMITTABLE:
        raise _wrong_state(
            challenge,
            _("Only drafts and challenges with requested changes can be submitted for review."),
        )
    missing = challenge_missing_fields(challenge)
    if missing:
        raise ApplicationError(
            _("Please complete the challenge before submitting it: %(fields)s.")
            % {"fields": ", ".join(missing)}
        )
    now = timezone.now()
    deadline = challenge.effective_deadline
    if deadline is not None and deadline <= now:
        raise ApplicationError(
            _("The deadline has passed. Choose a later deadline before submitting.")
        )
    challenge.submitted_at = now
    return _transition(
        viewer,
        challenge,
        to=ChallengeStatus.IN_REVIEW,
        action="challenges.challenge.submitted",
        fields=["submitted_at"],
    )


@transaction.atomic
def challenge_request_changes(*, user: Any, challenge: Challenge, comment: str) -> Challenge:
    """In review → changes requested, with a comment for the need owners (organizers)."""
    viewer = viewer_for(user)
    _require_organizer(viewer)
    _lock_status(challenge)
    if challenge.status != ChallengeStatus.IN_REVIEW:
        raise _wrong_state(challenge, _("Only challenges in review can be sent back for changes."))
    text = _clean_text(comment, field="comment", max_length=COMMENT_MAX_LENGTH)
    challenge.review_comment = text
    return _transition(
        viewer,
        challenge,
        to=ChallengeStatus.CHANGES_REQUESTED,
        action="challenges.challenge.changes_requested",
        fields=["review_comment"],
        data={"comment": text},
    )


@transaction.atomic
def challenge_publish(*, user: Any, challenge: Challenge) -> Challenge:
    """In review → published (organizers only)."""
    viewer = viewer_for(user)
    _require_organizer(viewer)
    _lock_status(challenge)
    if challenge.status != ChallengeStatus.IN_REVIEW:
        raise _wrong_state(challenge, _("Only challenges in review can be published."))
    challenge.published_at = timezone.now()
    return _transition(
        viewer,
        challenge,
        to=ChallengeStatus.PUBLISHED,
        action="challenges.challenge.published",
        fields=["published_at"],
    )


@transaction.atomic
def challenge_close(*, user: Any, challenge: Challenge) -> Challenge:
    """Published → closed (organizers, need owners of the owner organisation)."""
    viewer = viewer_for(user)
    _require_user(viewer)
    _lock_status(challenge)
    if not rules.may_close_role(viewer, challenge):
        raise PermissionDenied(
            _("Only organizers and the owner organisation's need owners may close a challenge.")
        )
    if challenge.status != ChallengeStatus.PUBLISHED:
        raise _wrong_state(challenge, _("Only open challenges can be closed."))
    challenge.closed_at = timezone.now()
    return _transition(
        viewer,
        challenge,
        to=ChallengeStatus.CLOSED,
        action="challenges.challenge.closed",
        fields=["closed_at"],
    )


@transaction.atomic
def challenge_archive(*, user: Any, challenge: Challenge) -> Challenge:
    """Closed → archived (organizers only)."""
    viewer = viewer_for(user)
    _require_organizer(viewer)
    _lock_status(challenge)
    if challenge.status != ChallengeStatus.CLOSED:
        raise _wrong_state(challenge, _("Only closed challenges can be archived."))
    return _transition(
        viewer,
        challenge,
        to=ChallengeStatus.ARCHIVED,
        action="challenges.challenge.archived",
    )


# --- questions ----------------------------------------------------------------


@transaction.atomic
def question_ask(*, user: Any, challenge: Challenge, body: str) -> Question:
    """A logged-in user asks the need owner of an open challenge a question."""
    viewer = viewer_for(user)
    _require_user(viewer)
    if challenge.status != ChallengeStatus.PUBLISHED:
        raise ApplicationError(_("Questions can only be asked while the challenge is open."))
    text = _clean_text(body, field="body", max_length=QUESTION_MAX_LENGTH)
    since = timezone.now() - timedelta(hours=1)
    recent = Question.objects.filter(author=viewer.user, created_at__gte=since).count()
    if recent >= QUESTIONS_PER_HOUR:
        raise ApplicationError(
            _("You have asked %(n)d questions in the last hour. Please wait a while.")
            % {"n": recent}
        )
    question = Question.objects.create(challenge=challenge, author=viewer.user, body=text)
    log_action(
        question,
        "challenges.question.asked",
        actor=viewer.user,
        data={"challenge": challenge.pk},
    )
    return question


@transaction.atomic
def question_answer(*, user: Any, question: Question, answer: str) -> Question:
    """The need owner (or an organizer) answers a question, or edits the answer."""
    viewer = viewer_for(user)
    _require_user(viewer)
    if not rules.can_answer(viewer, question.challenge):
        raise PermissionDenied(_("Only the challenge's need owners may answer questions."))
    text = _clean_text(answer, field="answer", max_length=ANSWER_MAX_LENGTH)
    edited = bool(question.answer)
    if edited and text == question.answer:
        return question
    question.answer = text
    question.answered_by = viewer.user
    question.answered_at = timezone.now()
    question.save(update_fields=["answer", "answered_by", "answered_at", "updated_at"])
    log_action(
        question,
        "challenges.question.answer_edited" if edited else "challenges.question.answered",
        actor=viewer.user,
        data={"challenge": question.challenge_id},
    )
    return question


@transaction.atomic
def question_hide(*, user: Any, question: Question, reason: str) -> Question:
    """An organizer hides a question from the public page, giving a reason."""
    viewer = viewer_for(user)
    _require_organizer(viewer)
    if question.is_hidden:
        raise ApplicationError(_("This question is already hidden."))
    text = _clean_text(reason, field="reason", max_length=REASON_MAX_LENGTH)
    question.is_hidden = True
    question.hidden_reason = text
    question.save(update_fields=["is_hidden", "hidden_reason", "updated_at"])
    log_action(question, "challenges.question.hidden", actor=viewer.user, data={"reason": text})
    return question


@transaction.atomic
def question_unhide(*, user: Any, question: Question, reason: str = "") -> Question:
    """An organizer shows a hidden question again."""
    viewer = viewer_for(user)
    _require_organizer(viewer)
    if not question.is_hidden:
        raise ApplicationError(_("This question is not hidden."))
    text = _clean_text(reason, field="reason", max_length=REASON_MAX_LENGTH, required=False)
    question.is_hidden = False
    question.hidden_reason = ""
    question.save(update_fields=["is_hidden", "hidden_reason", "updated_at"])
    log_action(question, "challenges.question.unhidden", actor=viewer.user, data={"reason": text})
    return question


# --- events -------------------------------------------------------------------


def event_date_errors(values: dict[str, Any]) -> dict[str, str]:
    """Per-field messages for dates out of order (empty when all is well).

    The order: registration opens ≤ hacking starts < submission deadline ≤
    evaluation ends ≤ results published."""
    rules_ = [
        (
            "hacking_starts",
            "registration_opens",
            False,
            _("Hacking can't start before registration opens."),
        ),
        (
            "submission_deadline",
            "hacking_starts",
            True,
            _("The submission deadline must be after hacking starts."),
        ),
        (
            "evaluation_ends",
            "submission_deadline",
            False,
            _("Evaluation can't end before the submission deadline."),
        ),
        (
            "results_at",
            "evaluation_ends",
            False,
            _("Results can't be published before evaluation ends."),
        ),
    ]
    errors: dict[str, str] = {}
    for later, earlier, strict, message in rules_:
        a, b = values.get(earlier), values.get(later)
        if a is None or b is None:
            continue
        if (b <= a) if strict else (b < a):
            errors[later] = message
    return errors


def _check_event(event: Event) -> None:
    errors = event_date_errors({f: getattr(event, f) for f in EVENT_FIELDS})
    if errors:
        raise ValidationError(errors)
    event.full_clean(exclude=["slug"])


@transaction.atomic
def event_create(
    *,
    user: Any,
    name: str,
    kind: str,
    registration_opens: datetime,
    hacking_starts: datetime,
    submission_deadline: datetime,
    evaluation_ends: datetime,
    results_at: datetime,
    description: str = "",
    location: str = "",
    max_team_size: int = 6,
) -> Event:
    """A new event (organizers only)."""
    viewer = viewer_for(user)
    _require_organizer(viewer)
    slug_max = Event._meta.get_field("slug").max_length or 80
    event = Event(
        name=(name or "").strip(),
        kind=kind,
        description=(description or "").strip(),
        location=(location or "").strip(),
        registration_opens=registration_opens,
        hacking_starts=hacking_starts,
        submission_deadline=submission_deadline,
        evaluation_ends=evaluation_ends,
        results_at=results_at,
        max_team_size=max_team_size,
        slug=unique_slug(Event, name or "", max_length=slug_max, fallback="event"),
    )
    _check_event(event)
    event.save()
    log_action(event, "challenges.event.created", actor=viewer.user, data={"slug": event.slug})
    return event


@transaction.atomic
def event_update(*, user: Any, event: Event, **changes: Any) -> Event:
    """Change an event (organizers only); the address (slug) stays."""
    unknown = set(changes) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"event_update() got unknown fields: {sorted(unknown)}")
    viewer = viewer_for(user)
    _require_organizer(viewer)
    original = {f: getattr(event, f) for f in EVENT_FIELDS}
    changed: list[str] = []
    for field, value in changes.items():
        value = value.strip() if isinstance(value, str) else value
        if getattr(event, field) != value:
            setattr(event, field, value)
            changed.append(field)
    if not changed:
        return event
    try:
        _check_event(event)
    except ValidationError:
        for field, value in original.items():
            setattr(event, field, value)
        raise
    event.save(update_fields=[*changed, "updated_at"])
    log_action(event, "challenges.event.updated", actor=viewer.user, data={"fields": changed})
    return event


@transaction.atomic
def challenges_reindex_for_organization(*, organization: Organization) -> int:
    """Refresh the search text of the challenges an organisation owns or
    co-owns (after it is renamed), so searching for the new name finds them."""
    challenges = (
        Challenge.objects.filter(models.Q(owner=organization) | models.Q(co_owners=organization))
        .distinct()
        .select_related("owner")
        .prefetch_related("co_owners")
    )
    count = 0
    for challenge in challenges:
        text = challenge_search_text(challenge)
        if text != challenge.search_text:
            challenge.search_text = text
            challenge.save(update_fields=["search_text"])
            count += 1
    return count
