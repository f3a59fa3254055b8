"""Reads for challenges, questions and events, with their access checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from hack365.core.permissions import require_organizer
from hack365.organizations.models import Organization

from . import rules
from .models import PUBLIC_STATUSES, Challenge, ChallengeStatus, Event, Question
from .rules import ChallengeActions, Viewer, viewer_for
from .services import search_key

YEAR_ROUND = "year-round"
PUBLIC_STATUS_CODES = tuple(str(s) for s in PUBLIC_STATUSES)


# --- permission helpers for views and templates ------------------------------


def can_view(user: Any, challenge: Challenge) -> bool:
    return rules.can_view(viewer_for(user), challenge)


def can_edit(user: Any, challenge: Challenge) -> bool:
    return rules.can_edit(viewer_for(user), challenge)


def can_create(user: Any) -> bool:
    return rules.can_create(viewer_for(user))


def challenge_actions(user: Any, challenge: Challenge) -> ChallengeActions:
    return rules.challenge_actions(viewer_for(user), challenge)


# --- challenges -----------------------------------------------------------------


def _with_card_data(qs: QuerySet[Challenge]) -> QuerySet[Challenge]:
    """Everything a challenge card shows, in a constant number of queries."""
    return qs.select_related("owner", "owner__county", "event").prefetch_related("themes")


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        return [str(v) for v in value if v not in (None, "")]
    return [str(value)]


def challenge_list(filters: Mapping[str, Any] | None = None) -> QuerySet[Challenge]:
    """Public challenges (open, closed, archived), newest published first.

    ``filters`` (all optional): ``q`` (words, each must occur), ``theme``
    (a code or several: any of them), ``level``, ``organisation`` (slug, owner
    or co-owner), ``county`` (code of the owner's county), ``status`` (a public
    status only), ``event`` (slug, or ``"year-round"`` for challenges without
    an event)."""
    filters = filters or {}
    qs = Challenge.objects.filter(status__in=PUBLIC_STATUS_CODES)

    q = filters.get("q")
    if isinstance(q, str):
        for term in search_key(q).split():
            qs = qs.filter(search_text__contains=term)

    themes = _as_list(filters.get("theme") or filters.get("themes"))
    if themes:
        through = Challenge.themes.through
        qs = qs.filter(
            Exists(through.objects.filter(challenge_id=OuterRef("pk"), datatheme_id__in=themes))
        )

    level = filters.get("level")
    if level:
        qs = qs.filter(level=level)

    organisation = filters.get("organisation")
    if isinstance(organisation, Organization):
        organisation = organisation.slug
    if organisation:
        co_owned = Challenge.co_owners.through.objects.filter(
            challenge_id=OuterRef("pk"), organization__slug=organisation
        )
        qs = qs.filter(Q(owner__slug=organisation) | Exists(co_owned))

    county = filters.get("county")
    if county:
        qs = qs.filter(owner__county_id=getattr(county, "pk", county))

    status = filters.get("status")
    if status:
        # Only public states can be asked for; anything else finds nothing.
        qs = qs.filter(status=status) if status in PUBLIC_STATUS_CODES else qs.none()

    event = filters.get("event")
    if isinstance(event, Event):
        event = event.slug
    if event == YEAR_ROUND:
        qs = qs.filter(event__isnull=True)
    elif event:
        qs = qs.filter(event__slug=event)

    return _with_card_data(qs).order_by("-published_at", "-pk")


def open_challenges(limit: int = 6) -> list[Challenge]:
    return list(challenge_list({"status": ChallengeStatus.PUBLISHED})[:limit])


def access_challenge(user: Any, slug: str) -> Challenge:
    """The challenge with ``slug`` if ``user`` may see it, else 404 (whether or
    not it exists)."""
    challenge = (
        Challenge.objects.select_related("owner", "owner__county", "event")
        .prefetch_related("themes", "co_owners", "contacts__profile")
        .filter(slug=slug)
        .first()
    )
    if challenge is None or not rules.can_view(viewer_for(user), challenge):
        raise Http404("No such challenge")
    return challenge


def visible_challenges(user: Any) -> QuerySet[Challenge]:
    """The challenges ``user`` may see (as rules.can_view decides one by one):
    the public ones, every one for organizers, and a need owner's own."""
    viewer = viewer_for(user)
    if viewer.organizer:
        return Challenge.objects.all()
    visible = Q(status__in=PUBLIC_STATUS_CODES)
    if viewer.need_owner_org_ids:
        org_ids = list(viewer.need_owner_org_ids)
        co_owned = Challenge.co_owners.through.objects.filter(
            challenge_id=OuterRef("pk"), organization_id__in=org_ids
        )
        visible |= Q(owner_id__in=org_ids) | Q(Exists(co_owned))
    return Challenge.objects.filter(visible)


def challenges_for_need_owner(user: Any) -> QuerySet[Challenge]:
    """Every challenge (any state) of the organisations where ``user`` is a
    need owner, as owner or co-owner; with the number of unanswered questions."""
    viewer = viewer_for(user)
    if not viewer.need_owner_org_ids:
        return Challenge.objects.none()
    org_ids = list(viewer.need_owner_org_ids)
    co_owned = Challenge.co_owners.through.objects.filter(
        challenge_id=OuterRef("pk"), organization_id__in=org_ids
    )
    return (
        Challenge.objects.filter(Q(owner_id__in=org_ids) | Exists(co_owned))
        .select_related("owner", "owner__county", "event")
        .prefetch_related("co_owners")
        .annotate(
            unanswered_count=Count(
                "questions",
                filter=Q(questions__answer="", questions__is_hidden=False),
            )
        )
        .order_by("-updated_at", "-pk")
    )


def review_queue(user: Any) -> QuerySet[Challenge]:
    """For organizers: challenges waiting in review (oldest first), then those
    sent back for changes."""
    require_organizer(user)
    return (
        Challenge.objects.filter(
            status__in=[ChallengeStatus.IN_REVIEW, ChallengeStatus.CHANGES_REQUESTED]
        )
        .select_related("owner", "owner__county", "event")
        .annotate(
            queue_order=Case(
                When(status=ChallengeStatus.IN_REVIEW, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("queue_order", "submitted_at", "pk")
    )


@dataclass(frozen=True)
class KeyFigures:
    open_challenges: int
    organisations: int
    events: int
    participants: int
    datasets: int = 0


def key_figures() -> KeyFigures:
    """The numbers on the home page."""
    public = Challenge.objects.filter(status__in=PUBLIC_STATUS_CODES)
    co_owner_orgs = Challenge.co_owners.through.objects.filter(
        organization_id=OuterRef("pk"), challenge__status__in=PUBLIC_STATUS_CODES
    )
    organisations = Organization.objects.filter(
        Exists(public.filter(owner_id=OuterRef("pk"))) | Exists(co_owner_orgs)
    ).count()
    return KeyFigures(
        open_challenges=Challenge.objects.filter(status=ChallengeStatus.PUBLISHED).count(),
        organisations=organisations,
        events=Event.objects.count(),
        participants=get_user_model().objects.filter(is_active=True).count(),
        datasets=_dataset_count(),
    )


def _dataset_count() -> int:
    """Datasets in the catalog (not withdrawn); counted at most every few
    minutes, as a large catalog takes a while to count."""
    from django.core.cache import cache

    from hack365.catalog.models import Dataset

    count = cache.get("home:dataset-count")
    if count is None:
        count = Dataset.objects.filter(withdrawn=False).count()
        cache.set("home:dataset-count", count, 300)
    return int(count)


# --- questions ------------------------------------------------------------------


def visible_questions(user: Any, challenge: Challenge) -> list[Question]:
    """The challenge's questions: hidden ones only for organizers."""
    qs = Question.objects.filter(challenge=challenge).select_related(
        "author__profile", "answered_by__profile"
    )
    if not viewer_for(user).organizer:
        qs = qs.filter(is_hidden=False)
    return list(qs.order_by("created_at", "pk"))


def access_question(user: Any, pk: int) -> Question:
    """The question if ``user`` may see it and its challenge, else 404."""
    question = (
        Question.objects.select_related("challenge", "challenge__owner", "author__profile")
        .prefetch_related("challenge__co_owners")
        .filter(pk=pk)
        .first()
    )
    if question is None:
        raise Http404("No such question")
    viewer = viewer_for(user)
    if not rules.can_view(viewer, question.challenge):
        raise Http404("No such question")
    if question.is_hidden and not viewer.organizer:
        raise Http404("No such question")
    return question


# --- events -----------------------------------------------------------------------


def _with_challenge_count(qs: QuerySet[Event]) -> QuerySet[Event]:
    return qs.annotate(
        public_challenge_count=Count(
            "challenges", filter=Q(challenges__status__in=PUBLIC_STATUS_CODES)
        )
    )


def events_current_and_upcoming() -> QuerySet[Event]:
    """Events whose results are not yet out, soonest first."""
    return _with_challenge_count(Event.objects.filter(results_at__gt=timezone.now())).order_by(
        "hacking_starts", "pk"
    )


def events_past() -> QuerySet[Event]:
    return _with_challenge_count(Event.objects.filter(results_at__lte=timezone.now())).order_by(
        "-results_at", "-pk"
    )


def events_for_choice() -> QuerySet[Event]:
    """Events a challenge may be attached to: those not yet finished."""
    return Event.objects.filter(results_at__gt=timezone.now()).order_by("hacking_starts", "pk")


def access_event(user: Any, slug: str) -> Event:
    """Events are public; unknown slugs are 404."""
    event = Event.objects.filter(slug=slug).first()
    if event is None:
        raise Http404("No such event")
    return event


def access_event_for_edit(user: Any, slug: str) -> Event:
    require_organizer(user)
    return access_event(user, slug)


def event_challenges(event: Event) -> QuerySet[Challenge]:
    return challenge_list({"event": event.slug})


def viewer(user: Any) -> Viewer:
    """The rules' view of ``user`` (compute once per request)."""
    return viewer_for(user)
