from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from hack365.challenges.models import ChallengeStatus
from hack365.core.errors import ApplicationError, PermissionDenied
from hack365.core.models import AuditLogEntry
from hack365.teams import rules, services
from hack365.teams.models import (
    DEFAULT_MAX_TEAM_SIZE,
    Invitation,
    JoinRequest,
    RequestStatus,
    RolePosting,
    Team,
    TeamMembership,
    TeamRole,
    TeamSeeker,
)
from tests.accounts.factories import UserFactory
from tests.challenges.factories import ChallengeFactory, EventFactory, PublishedChallengeFactory

from .factories import InvitationFactory, JoinRequestFactory, TeamFactory, TeamSeekerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Any:
    """The refusals are matched in English here (Swedish: tests/test_translations.py)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def audit(action: str) -> int:
    return AuditLogEntry.objects.filter(action=action).count()


def add_member(team: Team, user: Any = None) -> Any:
    user = user or UserFactory()
    TeamMembership.objects.create(team=team, user=user, role=TeamRole.MEMBER)
    return user


def lead_of(team: Team) -> Any:
    return team.memberships.get(role=TeamRole.LEAD).user


# --- creating and editing -------------------------------------------------------------


def test_a_participant_creates_a_team_and_becomes_its_lead(challenge: Any) -> None:
    user = UserFactory()
    team = services.team_create(user=user, name="  Datadrivna  ", challenge=challenge)
    assert team.name == "Datadrivna"
    assert team.memberships.get().user == user
    assert team.memberships.get().role == TeamRole.LEAD
    assert audit("teams.team.created") == 1


def test_the_team_takes_the_challenges_event(db: Any) -> None:
    event = EventFactory()
    challenge = PublishedChallengeFactory(event=event)
    team = services.team_create(user=UserFactory(), name="A", challenge=challenge)
    assert team.event == event


@pytest.mark.parametrize("status", [s for s in ChallengeStatus if s != ChallengeStatus.PUBLISHED])
def test_no_team_for_a_challenge_that_is_not_open(status: str) -> None:
    challenge = ChallengeFactory(status=status)
    with pytest.raises(ApplicationError):
        services.team_create(user=UserFactory(), name="A", challenge=challenge)
    assert not Team.objects.exists()


def test_no_team_after_the_deadline(db: Any) -> None:
    challenge = PublishedChallengeFactory(deadline=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ApplicationError):
        services.team_create(user=UserFactory(), name="A", challenge=challenge)


def test_anonymous_may_not_create(challenge: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.team_create(user=None, name="A", challenge=challenge)


def test_a_name_is_required_and_bounded(challenge: Any) -> None:
    with pytest.raises(ValidationError):
        services.team_create(user=UserFactory(), name="  ", challenge=challenge)
    with pytest.raises(ValidationError):
        services.team_create(user=UserFactory(), name="x" * 121, challenge=challenge)
    with pytest.raises(ValidationError):
        services.team_create(user=UserFactory(), name="A")  # neither challenge nor event


def test_one_team_per_person_per_challenge(challenge: Any) -> None:
    user = UserFactory()
    services.team_create(user=user, name="A", challenge=challenge)
    with pytest.raises(ApplicationError, match="already in a team"):
        services.team_create(user=user, name="B", challenge=challenge)
    # another challenge is fine
    services.team_create(user=user, name="C", challenge=PublishedChallengeFactory())
    assert Team.objects.count() == 2


def test_event_teams_count_per_event(db: Any) -> None:
    event = EventFactory()  # hacking now
    user = UserFactory()
    team = services.team_create(user=user, name="A", event=event)
    assert team.challenge is None
    with pytest.raises(ApplicationError):
        services.team_create(user=user, name="B", event=event)
    # a team for a challenge of the event is another matter
    services.team_create(user=user, name="C", challenge=PublishedChallengeFactory(event=event))


def test_event_teams_only_while_it_registers_or_hacks(db: Any) -> None:
    now = timezone.now()
    upcoming = EventFactory(
        registration_opens=now + timedelta(days=1),
        hacking_starts=now + timedelta(days=2),
        submission_deadline=now + timedelta(days=3),
        evaluation_ends=now + timedelta(days=4),
        results_at=now + timedelta(days=5),
    )
    over = EventFactory(
        registration_opens=now - timedelta(days=5),
        hacking_starts=now - timedelta(days=4),
        submission_deadline=now - timedelta(days=3),
        evaluation_ends=now - timedelta(days=2),
        results_at=now - timedelta(days=1),
    )
    for event in (upcoming, over):
        with pytest.raises(ApplicationError):
            services.team_create(user=UserFactory(), name="A", event=event)


def test_only_the_lead_updates(db: Any) -> None:
    team = TeamFactory()
    member = add_member(team)
    with pytest.raises(PermissionDenied):
        services.team_update(user=member, team=team, name="Nytt")
    with pytest.raises(PermissionDenied):
        services.team_update(user=UserFactory(), team=team, name="Nytt")
    services.team_update(
        user=lead_of(team), team=team, name="Nytt", description="Om oss", looking_for_members=False
    )
    team.refresh_from_db()
    assert (team.name, team.description, team.looking_for_members) == ("Nytt", "Om oss", False)
    assert audit("teams.team.updated") == 1


# --- maximum size ---------------------------------------------------------------------


def test_max_team_size_order(db: Any) -> None:
    event = EventFactory(max_team_size=4)
    team = TeamFactory(challenge=PublishedChallengeFactory(event=event, max_team_size=3))
    assert rules.max_team_size(team) == 3
    team = TeamFactory(challenge=PublishedChallengeFactory(event=event))
    assert rules.max_team_size(team) == 4
    team = TeamFactory(challenge=PublishedChallengeFactory())
    assert rules.max_team_size(team) == DEFAULT_MAX_TEAM_SIZE
    team = TeamFactory(challenge=None, event=event)
    assert rules.max_team_size(team) == 4


def test_a_full_team_takes_nobody(db: Any) -> None:
    team = TeamFactory(challenge=PublishedChallengeFactory(max_team_size=2))
    add_member(team)
    joiner = UserFactory()
    invitation = InvitationFactory(team=team, user=joiner)
    with pytest.raises(ApplicationError, match="full"):
        services.invitation_accept(user=joiner, invitation=invitation)
    assert team.memberships.count() == 2
    invitation.refresh_from_db()
    assert invitation.status == RequestStatus.PENDING
    with pytest.raises(ApplicationError, match="full"):
        services.join_request_create(user=UserFactory(), team=team)


# --- invitations ----------------------------------------------------------------------


def test_invite_by_email_sends_a_link_in_the_invitees_language(challenge: Any) -> None:
    team = TeamFactory(challenge=challenge)
    invitee = UserFactory(username="kim")
    invitee.profile.languages = ["en"]
    invitee.profile.save()
    invitation = services.invitation_create(
        user=lead_of(team),
        team=team,
        invitee="KIM@example.se",
        message="Välkommen!",
        base_url="https://hack365.example",
    )
    assert invitation.user == invitee
    assert invitation.status == RequestStatus.PENDING
    assert len(invitation.token) >= 40
    assert len(mail.outbox) == 0  # sent after commit


def test_invitation_mail_after_commit(
    challenge: Any, django_capture_on_commit_callbacks: Any
) -> None:
    team = TeamFactory(challenge=challenge)
    invitee = UserFactory(username="kim")
    invitee.profile.languages = ["en"]
    invitee.profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            user=lead_of(team), team=team, invitee="kim", base_url="https://hack365.example"
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [invitee.email]
    assert f"https://hack365.example/en/teams/invitations/{invitation.token}/" in message.body
    assert "invites you" in message.body or "invited" in message.body
    assert audit("teams.invitation.created") == 1
    # the token stays out of the audit log
    assert invitation.token not in str(AuditLogEntry.objects.values_list("data", flat=True))


def test_invitation_mail_to_an_address_without_account_is_in_the_leads_language(
    challenge: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.utils import translation

    team = TeamFactory(challenge=challenge)
    with translation.override("sv"), django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            user=lead_of(team), team=team, invitee="ny@example.se", base_url="http://testserver"
        )
    assert invitation.user is None
    assert invitation.email == "ny@example.se"
    assert "/sv/teams/invitations/" in mail.outbox[0].body
    assert "Logga in" in mail.outbox[0].body


def test_invitation_refusals(challenge: Any) -> None:
    team = TeamFactory(challenge=challenge)
    lead = lead_of(team)
    member = add_member(team)
    with pytest.raises(PermissionDenied):
        services.invitation_create(user=member, team=team, invitee="a@example.se")
    with pytest.raises(ValidationError):
        services.invitation_create(user=lead, team=team, invitee="no-such-user")
    with pytest.raises(ValidationError):
        services.invitation_create(user=lead, team=team, invitee="not@an@address")
    with pytest.raises(ValidationError):
        services.invitation_create(user=lead, team=team, invitee=member.username)
    services.invitation_create(user=lead, team=team, invitee="a@example.se")
    with pytest.raises(ValidationError, match="already has an invitation"):
        services.invitation_create(user=lead, team=team, invitee="A@example.se")
    assert Invitation.objects.count() == 1


def test_invitations_are_rate_limited(challenge: Any) -> None:
    team = TeamFactory(challenge=challenge)
    lead = lead_of(team)
    for n in range(services.INVITATIONS_PER_HOUR):
        services.invitation_create(user=lead, team=team, invitee=f"p{n}@example.se")
    with pytest.raises(ApplicationError, match="last hour"):
        services.invitation_create(user=lead, team=team, invitee="one-more@example.se")


def test_the_invitee_accepts(challenge: Any) -> None:
    team = TeamFactory(challenge=challenge)
    invitee = UserFactory()
    JoinRequestFactory(team=team, user=invitee)
    TeamSeekerFactory(user=invitee, challenge=challenge)
    invitation = InvitationFactory(team=team, user=invitee)
    services.invitation_accept(user=invitee, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.status == RequestStatus.ACCEPTED
    assert invitation.responded_at is not None
    assert team.memberships.filter(user=invitee, role=TeamRole.MEMBER).exists()
    assert not JoinRequest.objects.filter(status=RequestStatus.PENDING).exists()
    assert not TeamSeeker.objects.filter(is_active=True).exists()
    assert audit("teams.member.joined") == 1
    assert audit("teams.invitation.accepted") == 1
    with pytest.raises(ApplicationError):
        services.invitation_accept(user=invitee, invitation=invitation)


def test_an_email_invitation_needs_a_verified_address(challenge: Any) -> None:
    team = TeamFactory(challenge=challenge)
    invitation = InvitationFactory(team=team, user=None, email="ny@example.se")
    newcomer = UserFactory(username="ny", email="other@example.se")
    # an unverified address equal to the invitation's does not count
    address = EmailAddress.objects.create(user=newcomer, email="ny@example.se", verified=False)
    with pytest.raises(PermissionDenied):
        services.invitation_accept(user=newcomer, invitation=invitation)
    address.verified = True
    address.save()
    services.invitation_accept(user=newcomer, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.user == newcomer


def test_nobody_else_may_answer_an_invitation(challenge: Any) -> None:
    team = TeamFactory(challenge=challenge)
    invitation = InvitationFactory(team=team)
    stranger = UserFactory()
    before = AuditLogEntry.objects.count()
    for service in (services.invitation_accept, services.invitation_decline):
        with pytest.raises(PermissionDenied):
            service(user=stranger, invitation=invitation)
    with pytest.raises(PermissionDenied):
        services.invitation_accept(user=lead_of(team), invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.status == RequestStatus.PENDING
    assert team.memberships.count() == 1
    assert AuditLogEntry.objects.count() == before


def test_decline_and_revoke(challenge: Any) -> None:
    team = TeamFactory(challenge=challenge)
    first = InvitationFactory(team=team)
    services.invitation_decline(user=first.user, invitation=first)
    first.refresh_from_db()
    assert first.status == RequestStatus.DECLINED
    second = InvitationFactory(team=team)
    with pytest.raises(PermissionDenied):
        services.invitation_revoke(user=second.user, invitation=second)
    services.invitation_revoke(user=lead_of(team), invitation=second)
    second.refresh_from_db()
    assert second.status == RequestStatus.WITHDRAWN
    with pytest.raises(ApplicationError):
        services.invitation_accept(user=second.user, invitation=second)
    assert audit("teams.invitation.declined") == audit("teams.invitation.revoked") == 1


def test_accepting_respects_one_team_per_challenge(challenge: Any) -> None:
    mine = TeamFactory(challenge=challenge)
    user = lead_of(mine)
    other = TeamFactory(challenge=challenge)
    invitation = InvitationFactory(team=other, user=user)
    with pytest.raises(ApplicationError, match="already in a team"):
        services.invitation_accept(user=user, invitation=invitation)


# --- join requests ----------------------------------------------------------------------


def test_join_request_approved_by_any_member(challenge: Any) -> None:
    team = TeamFactory(challenge=challenge)
    member = add_member(team)
    asker = UserFactory()
    join_request = services.join_request_create(user=asker, team=team, message="Hej!")
    with pytest.raises(ApplicationError, match="already asked"):
        services.join_request_create(user=asker, team=team)
    with pytest.raises(PermissionDenied):
        services.join_request_approve(user=UserFactory(), join_request=join_request)
    with pytest.raises(PermissionDenied):
        services.join_request_approve(user=asker, join_request=join_request)
    services.join_request_approve(user=member, join_request=join_request)
    join_request.refresh_from_db()
    assert join_request.status == RequestStatus.ACCEPTED
    assert join_request.decided_by == member
    assert team.memberships.filter(user=asker).exists()
    with pytest.raises(ApplicationError):
        services.join_request_approve(user=member, join_request=join_request)
    assert audit("teams.join_request.approved") == 1


def test_join_request_refusals(challenge: Any) -> None:
    team = TeamFactory(challenge=challenge, looking_for_members=False)
    with pytest.raises(ApplicationError, match="not looking"):
        services.join_request_create(user=UserFactory(), team=team)
    with pytest.raises(ApplicationError, match="already a member"):
        services.join_request_create(user=lead_of(team), team=team)
    with pytest.raises(PermissionDenied):
        services.join_request_create(user=None, team=team)
    open_team = TeamFactory(challenge=challenge)
    with pytest.raises(ApplicationError, match="already in a team"):
        services.join_request_create(user=lead_of(team), team=open_team)
    with pytest.raises(ValidationError):
        services.join_request_create(user=UserFactory(), team=open_team, message="x" * 1001)
    assert not JoinRequest.objects.exists()


def test_join_request_reject_and_withdraw(challenge: Any) -> None:
    team = TeamFactory(challenge=challenge)
    first = JoinRequestFactory(team=team)
    services.join_request_reject(user=lead_of(team), join_request=first)
    first.refresh_from_db()
    assert first.status == RequestStatus.DECLINED
    second = JoinRequestFactory(team=team)
    with pytest.raises(PermissionDenied):
        services.join_request_withdraw(user=lead_of(team), join_request=second)
    services.join_request_withdraw(user=second.user, join_request=second)
    second.refresh_from_db()
    assert second.status == RequestStatus.WITHDRAWN
    with pytest.raises(ApplicationError):
        services.join_request_approve(user=lead_of(team), join_request=second)


# --- leaving, the lead role, removing ---------------------------------------------------


def test_a_member_leaves(challenge: Any) -> None:
    team = TeamFactory(challenge=challenge)
    member = add_member(team)
    assert services.team_leave(user=member, team=team) is False
    assert not team.memberships.filter(user=member).exists()
    with pytest.raises(PermissionDenied):
        services.team_leave(user=member, team=team)


def test_the_lead_hands_over_before_leaving(challenge: Any) -> None:
    team = TeamFactory(challenge=challenge)
    lead = lead_of(team)
    member = add_member(team)
    with pytest.raises(ApplicationError, match="lead role"):
        services.team_leave(user=lead, team=team)
    with pytest.raises(PermissionDenied):
        services.team_transfer_lead(user=member, team=team, new_lead=member)
    with pytest.raises(ApplicationError):
        services.team_transfer_lead(user=lead, team=team, new_lead=UserFactory())
    services.team_transfer_lead(user=lead, team=team, new_lead=member)
    assert lead_of(team) == member
    assert team.memberships.get(user=lead).role == TeamRole.MEMBER
    services.team_leave(user=lead, team=team)
    assert team.memberships.get().user == member
    assert audit("teams.team.lead_transferred") == 1


def test_the_last_member_leaving_dissolves_the_team(challenge: Any) -> None:
    team = TeamFactory(challenge=challenge)
    assert services.team_leave(user=lead_of(team), team=team) is True
    assert not Team.objects.filter(pk=team.pk).exists()
    assert audit("teams.team.dissolved") == 1


def test_the_last_member_cannot_leave_a_team_with_a_solution(challenge: Any) -> None:
    from hack365.submissions.models import Solution

    team = TeamFactory(challenge=challenge)
    Solution.objects.create(team=team, challenge=challenge, title="Lösningen")
    with pytest.raises(ApplicationError, match="solution"):
        services.team_leave(user=lead_of(team), team=team)
    assert Team.objects.filter(pk=team.pk).exists()


def test_the_lead_removes_a_member(challenge: Any) -> None:
    team = TeamFactory(challenge=challenge)
    lead = lead_of(team)
    member = add_member(team)
    other = add_member(team)
    membership = team.memberships.get(user=member)
    with pytest.raises(PermissionDenied):
        services.member_remove(user=other, membership=membership)
    with pytest.raises(ApplicationError):
        services.member_remove(user=lead, membership=team.memberships.get(user=lead))
    services.member_remove(user=lead, membership=membership)
    assert not team.memberships.filter(user=member).exists()
    assert audit("teams.member.removed") == 1


# --- postings and seekers ---------------------------------------------------------------


def test_members_post_roles(challenge: Any) -> None:
    team = TeamFactory(challenge=challenge)
    member = add_member(team)
    posting = services.posting_create(
        user=member, team=team, title="Designer", skills="Figma, tjänstedesign, figma"
    )
    assert posting.skills == ["Figma", "tjänstedesign"]
    with pytest.raises(PermissionDenied):
        services.posting_create(user=UserFactory(), team=team, title="X")
    with pytest.raises(ValidationError):
        services.posting_create(user=member, team=team, title="X", skills=",".join("abcdefghijk"))
    services.posting_update(user=member, posting=posting, title="Tjänstedesigner")
    services.posting_close(user=lead_of(team), posting=posting)
    posting.refresh_from_db()
    assert (posting.title, posting.is_open) == ("Tjänstedesigner", False)
    with pytest.raises(ApplicationError):
        services.posting_close(user=member, posting=posting)
    for n in range(services.OPEN_POSTINGS_PER_TEAM):
        services.posting_create(user=member, team=team, title=f"Roll {n}")
    with pytest.raises(ApplicationError):
        services.posting_create(user=member, team=team, title="En till")
    assert RolePosting.objects.filter(is_open=True).count() == services.OPEN_POSTINGS_PER_TEAM


def test_seekers(challenge: Any) -> None:
    user = UserFactory()
    seeker = services.seeker_upsert(user=user, challenge=challenge, note="Python")
    again = services.seeker_upsert(user=user, challenge=challenge, note="Python och R")
    assert seeker.pk == again.pk and again.note == "Python och R"
    general = services.seeker_upsert(user=user)
    assert general.pk != seeker.pk
    assert services.seeker_upsert(user=user).pk == general.pk
    with pytest.raises(PermissionDenied):
        services.seeker_withdraw(user=UserFactory(), seeker=seeker)
    services.seeker_withdraw(user=user, seeker=seeker)
    seeker.refresh_from_db()
    assert not seeker.is_active
    with pytest.raises(ApplicationError):
        services.seeker_withdraw(user=user, seeker=seeker)
    assert services.seeker_upsert(user=user, challenge=challenge).is_active
    with pytest.raises(ApplicationError):
        services.seeker_upsert(user=user, challenge=ChallengeFactory(status="draft"))
    # in a team for the challenge: not looking for one
    TeamFactory(challenge=challenge, lead=UserFactory(username="has-team"))
    with pytest.raises(ApplicationError):
        services.seeker_upsert(
            user=TeamMembership.objects.get(user__username="has-team").user, challenge=challenge
        )


def test_creating_a_team_ends_looking_for_one(challenge: Any) -> None:
    user = UserFactory()
    services.seeker_upsert(user=user, challenge=challenge)
    services.team_create(user=user, name="A", challenge=challenge)
    assert not TeamSeeker.objects.filter(is_active=True).exists()


def test_skills_are_cleaned() -> None:
    assert services.clean_skills(" Python ,  python, R ") == ["Python", "R"]
    assert services.clean_skills(["a  b", ""]) == ["a b"]
    with pytest.raises(ValidationError):
        services.clean_skills(["x" * 51])


def test_an_unverified_account_with_the_address_is_not_bound(challenge: Any) -> None:
    team = TeamFactory(challenge=challenge)
    squatter = UserFactory(username="squatter", email="target@example.se", verified=False)
    invitation = services.invitation_create(
        user=lead_of(team), team=team, invitee="target@example.se"
    )
    assert invitation.user is None
    with pytest.raises(PermissionDenied):
        services.invitation_accept(user=squatter, invitation=invitation)
