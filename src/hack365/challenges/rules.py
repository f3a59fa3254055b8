"""Who may do what to a challenge: pure rules shared by services, selectors,
views and templates.

A :class:`Viewer` is computed once per request (one query for the user's
need-owner memberships); every rule below is then free of queries, as long
as the challenge's ``co_owners`` are prefetched where many are checked."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from hack365.core.permissions import is_authenticated, is_organizer
from hack365.organizations.models import Membership, MembershipRole

from .models import PUBLIC_STATUSES, Challenge, ChallengeStatus

# States in which each role may change a challenge's content.
NEED_OWNER_EDITABLE = frozenset({ChallengeStatus.DRAFT, ChallengeStatus.CHANGES_REQUESTED})
ORGANIZER_EDITABLE = frozenset(
    {
        ChallengeStatus.DRAFT,
        ChallengeStatus.IN_REVIEW,
        ChallengeStatus.CHANGES_REQUESTED,
        ChallengeStatus.PUBLISHED,
    }
)
SUBMITTABLE = frozenset({ChallengeStatus.DRAFT, ChallengeStatus.CHANGES_REQUESTED})


@dataclass(frozen=True)
class Viewer:
    """The facts about a user that the challenge rules need."""

    user: Any
    authenticated: bool
    organizer: bool
    need_owner_org_ids: frozenset[int]

    @property
    def is_need_owner(self) -> bool:
        return bool(self.need_owner_org_ids)


def viewer_for(user: Any) -> Viewer:
    """The :class:`Viewer` for ``user`` (a user, ``None``, an anonymous user or
    already a Viewer). Costs one query for an active, logged-in user."""
    if isinstance(user, Viewer):
        return user
    active = is_authenticated(user) and bool(user.is_active)
    org_ids: frozenset[int] = frozenset()
    if active:
        org_ids = frozenset(
            Membership.objects.filter(user=user, role=MembershipRole.NEED_OWNER).values_list(
                "organization_id", flat=True
            )
        )
    return Viewer(
        user=user if active else None,
        authenticated=active,
        organizer=is_organizer(user),
        need_owner_org_ids=org_ids,
    )


def co_owner_ids(challenge: Challenge) -> set[int]:
    # .all() uses prefetched co-owners when the caller prefetched them.
    if challenge.pk is None:
        return set()
    return {org.pk for org in challenge.co_owners.all()}


def is_owner_need_owner(viewer: Viewer, challenge: Challenge) -> bool:
    """A need owner of the challenge's owner organisation."""
    return challenge.owner_id in viewer.need_owner_org_ids


def is_challenge_need_owner(viewer: Viewer, challenge: Challenge) -> bool:
    """A need owner of the owner organisation or of a co-owner."""
    if not viewer.need_owner_org_ids:
        return False
    if is_owner_need_owner(viewer, challenge):
        return True
    return bool(viewer.need_owner_org_ids & co_owner_ids(challenge))


def can_view(viewer: Viewer, challenge: Challenge) -> bool:
    return (
        challenge.status in PUBLIC_STATUSES
        or viewer.organizer
        or is_challenge_need_owner(viewer, challenge)
    )


def may_edit_in_some_state(viewer: Viewer, challenge: Challenge) -> bool:
    """The role lets ``viewer`` edit this challenge at some point of its life."""
    return viewer.organizer or is_challenge_need_owner(viewer, challenge)


def can_edit(viewer: Viewer, challenge: Challenge) -> bool:
    if viewer.organizer and challenge.status in ORGANIZER_EDITABLE:
        return True
    return challenge.status in NEED_OWNER_EDITABLE and is_challenge_need_owner(viewer, challenge)


def may_submit_role(viewer: Viewer, challenge: Challenge) -> bool:
    return viewer.organizer or is_challenge_need_owner(viewer, challenge)


def can_submit(viewer: Viewer, challenge: Challenge) -> bool:
    return challenge.status in SUBMITTABLE and may_submit_role(viewer, challenge)


def can_request_changes(viewer: Viewer, challenge: Challenge) -> bool:
    return viewer.organizer and challenge.status == ChallengeStatus.IN_REVIEW


def can_publish(viewer: Viewer, challenge: Challenge) -> bool:
    return viewer.organizer and challenge.status == ChallengeStatus.IN_REVIEW


def may_close_role(viewer: Viewer, challenge: Challenge) -> bool:
    return viewer.organizer or is_owner_need_owner(viewer, challenge)


def can_close(viewer: Viewer, challenge: Challenge) -> bool:
    return challenge.status == ChallengeStatus.PUBLISHED and may_close_role(viewer, challenge)


def can_archive(viewer: Viewer, challenge: Challenge) -> bool:
    return viewer.organizer and challenge.status == ChallengeStatus.CLOSED


def can_ask(viewer: Viewer, challenge: Challenge) -> bool:
    return viewer.authenticated and challenge.status == ChallengeStatus.PUBLISHED


def can_answer(viewer: Viewer, challenge: Challenge) -> bool:
    return viewer.organizer or is_challenge_need_owner(viewer, challenge)


def may_link_datasets_role(viewer: Viewer, challenge: Challenge) -> bool:
    """Need owners (of the owner or a co-owner) and organizers link datasets."""
    return viewer.organizer or is_challenge_need_owner(viewer, challenge)


def can_link_datasets(viewer: Viewer, challenge: Challenge) -> bool:
    """... in every state but archived: data that helps can be found while
    the challenge runs, too."""
    return challenge.status != ChallengeStatus.ARCHIVED and may_link_datasets_role(
        viewer, challenge
    )


def can_moderate(viewer: Viewer) -> bool:
    return viewer.organizer


def can_create(viewer: Viewer) -> bool:
    return viewer.organizer or viewer.is_need_owner


def may_own(viewer: Viewer, organization_ids: Iterable[int]) -> bool:
    """``viewer`` may make these organisations owners of a challenge."""
    return viewer.organizer or set(organization_ids) <= viewer.need_owner_org_ids


@dataclass(frozen=True)
class ChallengeActions:
    """What the challenge page offers ``viewer`` (for templates)."""

    edit: bool
    submit: bool
    request_changes: bool
    publish: bool
    close: bool
    archive: bool
    ask: bool
    answer: bool
    moderate: bool
    see_review_comment: bool
    link_datasets: bool = False

    @property
    def any_transition(self) -> bool:
        return any(
            (self.edit, self.submit, self.request_changes, self.publish, self.close, self.archive)
        )


def challenge_actions(viewer: Viewer, challenge: Challenge) -> ChallengeActions:
    need_owner = is_challenge_need_owner(viewer, challenge)
    return ChallengeActions(
        edit=can_edit(viewer, challenge),
        submit=can_submit(viewer, challenge),
        request_changes=can_request_changes(viewer, challenge),
        publish=can_publish(viewer, challenge),
        close=can_close(viewer, challenge),
        archive=can_archive(viewer, challenge),
        ask=can_ask(viewer, challenge),
        answer=can_answer(viewer, challenge),
        moderate=can_moderate(viewer),
        link_datasets=can_link_datasets(viewer, challenge),
        see_review_comment=(
            challenge.status == ChallengeStatus.CHANGES_REQUESTED
            and (need_owner or viewer.organizer)
            and bool(challenge.review_comment)
        ),
    )
