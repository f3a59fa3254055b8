"""Writes for teams: creating and editing them, invitations, join requests,
leaving, the lead role, role postings and people looking for a team.

Every function checks who may act (``PermissionDenied``) and whether the
state allows it (``ApplicationError`` / ``ValidationError``, translated),
changes nothing when it refuses, and writes the audit log.

Concurrency. Every join (an accepted invitation, an approved join request)
locks the team's row, then the joining person's row, and counts the members
inside that transaction: concurrent joins queue on the team row, so a team
never grows beyond its maximum. Creating a team locks the creator's row too,
so the rule "one team per person per challenge" holds when one person joins
and creates at once (the person's row is always locked last, after a team's,
so the locks cannot deadlock). On SQLite, writes are serialised by the
database (transactions start IMMEDIATE)."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hack365.challenges.models import Challenge, ChallengeStatus, Event
from hack365.core.audit import log_action
from hack365.core.errors import ApplicationError, PermissionDenied
from hack365.core.permissions import is_authenticated

from . import rules
from .models import (
    Invitation,
    JoinRequest,
    RequestStatus,
    RolePosting,
    Team,
    TeamMembership,
    TeamRole,
    TeamSeeker,
)

INVITATIONS_PER_HOUR = 30
JOIN_REQUESTS_PER_HOUR = 20
OPEN_POSTINGS_PER_TEAM = 10
SEEKERS_PER_USER = 20
SKILLS_MAX = 10
SKILL_MAX_LENGTH = 50
NAME_MAX_LENGTH = 120
DESCRIPTION_MAX_LENGTH = 5000
MESSAGE_MAX_LENGTH = 1000
POSTING_TITLE_MAX_LENGTH = 120
POSTING_DESCRIPTION_MAX_LENGTH = 2000
NOTE_MAX_LENGTH = 1000
INVITEE_MAX_LENGTH = 254


# --- helpers ----------------------------------------------------------------------


def _require_user(user: Any) -> None:
    if not is_authenticated(user) or not user.is_active:
        raise PermissionDenied(_("You need to log in to do this."))


def _clean_text(value: str | None, *, field: str, max_length: int, required: bool = False) -> str:
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


def clean_skills(value: Any, *, field: str = "skills") -> list[str]:
    """A list of skills from a list or a comma-separated text: trimmed,
    without duplicates (ignoring case), at most SKILLS_MAX of SKILL_MAX_LENGTH."""
    items = value.split(",") if isinstance(value, str) else list(value or [])
    skills: list[str] = []
    seen: set[str] = set()
    for item in items:
        skill = " ".join(str(item).split())
        if not skill or skill.casefold() in seen:
            continue
        if len(skill) > SKILL_MAX_LENGTH:
            raise ValidationError(
                {
                    field: _("A skill may have at most %(max)d characters.")
                    % {"max": SKILL_MAX_LENGTH}
                }
            )
        seen.add(skill.casefold())
        skills.append(skill)
    if len(skills) > SKILLS_MAX:
        raise ValidationError(
            {field: _("Please name at most %(max)d skills.") % {"max": SKILLS_MAX}}
        )
    return skills


def _lock_team(team: Team) -> Team:
    """The team's row, locked, with what the rules need."""
    locked = Team.objects.select_for_update().filter(pk=team.pk).first()
    if locked is None:
        raise ApplicationError(_("The team no longer exists."))
    return Team.objects.select_related("challenge__event", "event").get(pk=locked.pk)


def _lock_user(user: Any) -> None:
    get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk").first()


def _membership(team: Team, user: Any) -> TeamMembership | None:
    if not is_authenticated(user):
        return None
    return TeamMembership.objects.filter(team=team, user=user).first()


def _require_member(team: Team, user: Any) -> TeamMembership:
    _require_user(user)
    membership = _membership(team, user)
    if membership is None:
        raise PermissionDenied(_("Only the team's members may do this."))
    return membership


def _require_lead(team: Team, user: Any) -> TeamMembership:
    _require_user(user)
    membership = _membership(team, user)
    if membership is None or membership.role != TeamRole.LEAD:
        raise PermissionDenied(_("Only the team lead may do this."))
    return membership


def _require_active(team: Team) -> None:
    if not rules.team_is_active(team):
        raise ApplicationError(
            _("The team's challenge or event is no longer open, so the team can't change now.")
        )


def _other_team_for_same(user: Any, *, challenge_id: int | None, event_id: int | None) -> bool:
    """``user`` is already in a team for this challenge (or, for teams
    without a challenge, this event)."""
    memberships = TeamMembership.objects.filter(user=user)
    if challenge_id is not None:
        return memberships.filter(team__challenge_id=challenge_id).exists()
    if event_id is None:
        return False
    return memberships.filter(team__challenge__isnull=True, team__event_id=event_id).exists()


def _one_team_error(team: Team | None = None) -> ApplicationError:
    if team is None or team.challenge_id is not None:
        return ApplicationError(_("You are already in a team for this challenge."))
    return ApplicationError(_("You are already in a team for this event."))


def _join(team: Team, user: Any, *, via: str, actor: Any) -> TeamMembership:
    """Add ``user`` to ``team`` (already locked by the caller), checking the
    size and the one-team rule under the locks."""
    _lock_user(user)
    if TeamMembership.objects.filter(team=team, user=user).exists():
        raise ApplicationError(_("This person is already a member of the team."))
    if _other_team_for_same(user, challenge_id=team.challenge_id, event_id=team.event_id):
        if team.challenge_id is not None:
            raise ApplicationError(_("This person is already in a team for this challenge."))
        raise ApplicationError(_("This person is already in a team for this event."))
    size = rules.max_team_size(team)
    if TeamMembership.objects.filter(team=team).count() >= size:
        raise ApplicationError(_("The team is full (at most %(n)d members).") % {"n": size})
    membership = TeamMembership.objects.create(team=team, user=user, role=TeamRole.MEMBER)
    if team.challenge_id is not None:
        # They found a team: no longer looking for one for this challenge.
        TeamSeeker.objects.filter(user=user, challenge_id=team.challenge_id, is_active=True).update(
            is_active=False, updated_at=timezone.now()
        )
    log_action(team, "teams.member.joined", actor=actor, data={"user": user.pk, "via": via})
    return membership


def _not_pending(what: str) -> ApplicationError:
    if what == "invitation":
        return ApplicationError(_("This invitation has already been answered or withdrawn."))
    return ApplicationError(_("This join request has already been answered or withdrawn."))


# --- teams ------------------------------------------------------------------------


@transaction.atomic
def team_create(
    *,
    user: Any,
    name: str,
    challenge: Challenge | None = None,
    event: Event | None = None,
    description: str = "",
    looking_for_members: bool = True,
) -> Team:
    """A participant creates a team for an open challenge (its event comes
    with it) or, without a challenge, for an event in its registration or
    hacking phase, and becomes its lead. One team per person per challenge
    (per event for teams without a challenge)."""
    _require_user(user)
    name = _clean_text(name, field="name", max_length=NAME_MAX_LENGTH, required=True)
    description = _clean_text(description, field="description", max_length=DESCRIPTION_MAX_LENGTH)
    if challenge is not None:
        challenge = Challenge.objects.select_related("event").get(pk=challenge.pk)
        if challenge.status != ChallengeStatus.PUBLISHED:
            raise ApplicationError(_("Teams can only be formed for open challenges."))
        event = challenge.event
    elif event is None:
        raise ValidationError({"challenge": _("Choose a challenge or an event for the team.")})
    team = Team(
        name=name,
        challenge=challenge,
        event=event,
        description=description,
        looking_for_members=bool(looking_for_members),
        created_by=user,
    )
    if not rules.team_is_active(team):
        if challenge is not None:
            raise ApplicationError(_("The challenge's deadline has passed; no new teams."))
        raise ApplicationError(
            _("Teams for an event can be formed while it registers participants or hacks.")
        )
    _lock_user(user)
    if _other_team_for_same(
        user, challenge_id=challenge.pk if challenge else None, event_id=event.pk if event else None
    ):
        raise _one_team_error(team)
    team.save()
    TeamMembership.objects.create(team=team, user=user, role=TeamRole.LEAD)
    if challenge is not None:
        TeamSeeker.objects.filter(user=user, challenge=challenge, is_active=True).update(
            is_active=False, updated_at=timezone.now()
        )
    log_action(
        team,
        "teams.team.created",
        actor=user,
        data={"challenge": team.challenge_id, "event": team.event_id},
    )
    return team


@transaction.atomic
def team_update(
    *,
    user: Any,
    team: Team,
    name: str | None = None,
    description: str | None = None,
    looking_for_members: bool | None = None,
) -> Team:
    """The lead changes the team's name, description or whether it is
    looking for members."""
    _require_lead(team, user)
    changed: list[str] = []
    if name is not None:
        value = _clean_text(name, field="name", max_length=NAME_MAX_LENGTH, required=True)
        if value != team.name:
            team.name = value
            changed.append("name")
    if description is not None:
        value = _clean_text(description, field="description", max_length=DESCRIPTION_MAX_LENGTH)
        if value != team.description:
            team.description = value
            changed.append("description")
    if looking_for_members is not None and bool(looking_for_members) != team.looking_for_members:
        team.looking_for_members = bool(looking_for_members)
        changed.append("looking_for_members")
    if changed:
        team.save(update_fields=[*changed, "updated_at"])
        log_action(team, "teams.team.updated", actor=user, data={"fields": changed})
    return team


@transaction.atomic
def team_leave(*, user: Any, team: Team) -> bool:
    """A member leaves. The lead must hand the lead role to another member
    first, unless they are the last member: then the team is dissolved
    (deleted) — unless it has a solution, which keeps its team. Returns
    True when the team was dissolved."""
    team = _lock_team(team)
    membership = _require_member(team, user)
    others = TeamMembership.objects.filter(team=team).exclude(pk=membership.pk).count()
    if others == 0:
        if team.solutions.exists():
            raise ApplicationError(_("The team has a solution, so its last member can't leave it."))
        log_action(team, "teams.team.dissolved", actor=user, data={"name": team.name})
        team.delete()
        return True
    if membership.role == TeamRole.LEAD:
        raise ApplicationError(_("Hand the lead role to another member before you leave the team."))
    membership.delete()
    log_action(team, "teams.member.left", actor=user, data={"user": user.pk})
    return False


@transaction.atomic
def team_transfer_lead(*, user: Any, team: Team, new_lead: Any) -> Team:
    """The lead hands the lead role to another member (and stays a member)."""
    team = _lock_team(team)
    current = _require_lead(team, user)
    target = _membership(team, new_lead)
    if target is None:
        raise ApplicationError(_("The new lead must be a member of the team."))
    if target.pk == current.pk:
        raise ApplicationError(_("You are already the team lead."))
    current.role = TeamRole.MEMBER
    current.save(update_fields=["role", "updated_at"])
    target.role = TeamRole.LEAD
    target.save(update_fields=["role", "updated_at"])
    log_action(
        team,
        "teams.team.lead_transferred",
        actor=user,
        data={"from": user.pk, "to": target.user_id},
    )
    return team


@transaction.atomic
def member_remove(*, user: Any, membership: TeamMembership) -> None:
    """The lead removes another member from the team."""
    team = _lock_team(membership.team)
    lead = _require_lead(team, user)
    if membership.team_id != team.pk:
        raise ApplicationError(_("This person is not a member of the team."))
    if membership.pk == lead.pk:
        raise ApplicationError(_("You can't remove yourself; leave the team instead."))
    if not TeamMembership.objects.filter(pk=membership.pk).exists():
        raise ApplicationError(_("This person is not a member of the team."))
    removed = membership.user_id
    membership.delete()
    log_action(team, "teams.member.removed", actor=user, data={"user": removed})


# --- invitations ------------------------------------------------------------------


def _find_invitee(invitee: str) -> tuple[str, Any]:
    """(e-mail address, account or None) for what the lead typed: an e-mail
    address or the user name of an existing account."""
    text = _clean_text(invitee, field="invitee", max_length=INVITEE_MAX_LENGTH, required=True)
    users = get_user_model().objects
    if "@" in text:
        try:
            validate_email(text)
        except ValidationError as error:
            raise ValidationError({"invitee": _("Please give a valid e-mail address.")}) from error
        # Bound to an account only through a verified address: whoever
        # merely typed this address into a sign-up form does not own it.
        address = EmailAddress.objects.filter(email__iexact=text, verified=True).first()
        return text, address.user if address is not None else None
    account = users.filter(username=text, is_active=True).first()
    if account is None:
        raise ValidationError(
            {
                "invitee": _(
                    "There is no account with this user name. Invite by e-mail address instead."
                )
            }
        )
    return "", account


def _invitation_language(account: Any) -> str:
    """The language of the invitation e-mail: the invitee's first language
    the site speaks, else the language the lead uses now."""
    supported = [code for code, _name in settings.LANGUAGES]
    profile = getattr(account, "profile", None) if account is not None else None
    for code in getattr(profile, "languages", None) or []:
        if code in supported:
            return str(code)
    current = translation.get_language() or settings.LANGUAGE_CODE
    return current if current in supported else settings.LANGUAGE_CODE


def _send_invitation(invitation_pk: int, base_url: str, language: str) -> None:
    invitation = (
        Invitation.objects.select_related("team", "user", "invited_by__profile")
        .filter(pk=invitation_pk)
        .first()
    )
    if invitation is None:
        return
    to = invitation.email or (invitation.user.email if invitation.user else "")
    if not to:
        return
    with translation.override(language):
        path = reverse("teams:invitation", kwargs={"token": invitation.token})
        context = {
            "invitation": invitation,
            "team": invitation.team,
            "inviter": rules.public_name(invitation.invited_by) if invitation.invited_by else "",
            "link": f"{base_url.rstrip('/')}{path}",
        }
        subject = _("An invitation to join the team %(team)s") % {"team": invitation.team.name}
        body = render_to_string("teams/email/invitation.txt", context)
    send_mail(" ".join(subject.split()), body, None, [to])


@transaction.atomic
def invitation_create(
    *,
    user: Any,
    team: Team,
    invitee: str,
    message: str = "",
    base_url: str = "",
    notify: bool = True,
) -> Invitation:
    """The lead invites one person, by e-mail address or by the user name of
    an existing account; an e-mail with a link goes to the invitee in their
    language (``base_url``: the site's address, e.g. ``https://hack365.se``).
    One pending invitation per invitee per team; INVITATIONS_PER_HOUR per lead.
    ``notify=False`` sends no e-mail (the demo)."""
    _require_lead(team, user)
    _require_active(team)
    email, account = _find_invitee(invitee)
    message = _clean_text(message, field="message", max_length=MESSAGE_MAX_LENGTH)
    if account is not None and TeamMembership.objects.filter(team=team, user=account).exists():
        raise ValidationError({"invitee": _("This person is already a member of the team.")})
    pending = Invitation.objects.filter(team=team, status=RequestStatus.PENDING)
    if (account is not None and pending.filter(user=account).exists()) or (
        email and pending.filter(email__iexact=email).exists()
    ):
        raise ValidationError({"invitee": _("This person already has an invitation to the team.")})
    since = timezone.now() - timedelta(hours=1)
    recent = Invitation.objects.filter(invited_by=user, created_at__gte=since).count()
    if recent >= INVITATIONS_PER_HOUR:
        raise ApplicationError(
            _("You have sent %(n)d invitations in the last hour. Please wait a while.")
            % {"n": recent}
        )
    invitation = Invitation.objects.create(
        team=team,
        invited_by=user,
        email=email,
        user=account,
        token=secrets.token_urlsafe(32),
        message=message,
    )
    log_action(
        invitation,
        "teams.invitation.created",
        actor=user,
        data={"team": team.pk, "user": account.pk if account else None, "by_email": bool(email)},
    )
    if notify:
        language = _invitation_language(account)
        transaction.on_commit(lambda: _send_invitation(invitation.pk, base_url, language))
    return invitation


def may_answer_invitation(user: Any, invitation: Invitation) -> bool:
    """Only the invited account: the one named, or the owner of a verified
    e-mail address equal to the invitation's."""
    if not is_authenticated(user) or not user.is_active:
        return False
    if invitation.user_id is not None:
        return bool(invitation.user_id == user.pk)
    return EmailAddress.objects.filter(
        user=user, email__iexact=invitation.email, verified=True
    ).exists()


def _lock_invitation(invitation: Invitation) -> Invitation:
    locked = Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
    if locked is None:
        raise _not_pending("invitation")
    return locked


@transaction.atomic
def invitation_accept(*, user: Any, invitation: Invitation) -> TeamMembership:
    """The invitee accepts and joins the team (if it has room and they are
    not in another team for the same challenge)."""
    _require_user(user)
    team = _lock_team(invitation.team)
    invitation = _lock_invitation(invitation)
    if not may_answer_invitation(user, invitation):
        raise PermissionDenied(_("This invitation is for someone else."))
    if invitation.status != RequestStatus.PENDING:
        raise _not_pending("invitation")
    _require_active(team)
    membership = _join(team, user, via="invitation", actor=user)
    invitation.status = RequestStatus.ACCEPTED
    invitation.user = user
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "user", "responded_at", "updated_at"])
    JoinRequest.objects.filter(team=team, user=user, status=RequestStatus.PENDING).update(
        status=RequestStatus.WITHDRAWN, updated_at=timezone.now()
    )
    log_action(invitation, "teams.invitation.accepted", actor=user, data={"team": team.pk})
    return membership


@transaction.atomic
def invitation_decline(*, user: Any, invitation: Invitation) -> Invitation:
    _require_user(user)
    invitation = _lock_invitation(invitation)
    if not may_answer_invitation(user, invitation):
        raise PermissionDenied(_("This invitation is for someone else."))
    if invitation.status != RequestStatus.PENDING:
        raise _not_pending("invitation")
    invitation.status = RequestStatus.DECLINED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at", "updated_at"])
    log_action(
        invitation, "teams.invitation.declined", actor=user, data={"team": invitation.team_id}
    )
    return invitation


@transaction.atomic
def invitation_revoke(*, user: Any, invitation: Invitation) -> Invitation:
    """The lead withdraws a pending invitation."""
    _require_lead(invitation.team, user)
    invitation = _lock_invitation(invitation)
    if invitation.status != RequestStatus.PENDING:
        raise _not_pending("invitation")
    invitation.status = RequestStatus.WITHDRAWN
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at", "updated_at"])
    log_action(
        invitation, "teams.invitation.revoked", actor=user, data={"team": invitation.team_id}
    )
    return invitation


# --- join requests ----------------------------------------------------------------


@transaction.atomic
def join_request_create(*, user: Any, team: Team, message: str = "") -> JoinRequest:
    """A participant asks to join a team that is looking for members."""
    _require_user(user)
    team = Team.objects.select_related("challenge__event", "event").get(pk=team.pk)
    message = _clean_text(message, field="message", max_length=MESSAGE_MAX_LENGTH)
    if TeamMembership.objects.filter(team=team, user=user).exists():
        raise ApplicationError(_("You are already a member of this team."))
    _require_active(team)
    if not team.looking_for_members:
        raise ApplicationError(_("This team is not looking for members right now."))
    if _other_team_for_same(user, challenge_id=team.challenge_id, event_id=team.event_id):
        raise _one_team_error(team)
    size = rules.max_team_size(team)
    if TeamMembership.objects.filter(team=team).count() >= size:
        raise ApplicationError(_("The team is full (at most %(n)d members).") % {"n": size})
    if JoinRequest.objects.filter(team=team, user=user, status=RequestStatus.PENDING).exists():
        raise ApplicationError(_("You have already asked to join this team."))
    since = timezone.now() - timedelta(hours=1)
    if (
        JoinRequest.objects.filter(user=user, created_at__gte=since).count()
        >= JOIN_REQUESTS_PER_HOUR
    ):
        raise ApplicationError(
            _("You have asked to join many teams in the last hour. Please wait a while.")
        )
    join_request = JoinRequest.objects.create(team=team, user=user, message=message)
    log_action(join_request, "teams.join_request.created", actor=user, data={"team": team.pk})
    return join_request


def _lock_request(join_request: JoinRequest) -> JoinRequest:
    locked = JoinRequest.objects.select_for_update().filter(pk=join_request.pk).first()
    if locked is None:
        raise _not_pending("join_request")
    return locked


@transaction.atomic
def join_request_approve(*, user: Any, join_request: JoinRequest) -> TeamMembership:
    """A member of the team (any member, not only the lead) lets the person in."""
    team = _lock_team(join_request.team)
    _require_member(team, user)
    join_request = _lock_request(join_request)
    if join_request.status != RequestStatus.PENDING:
        raise _not_pending("join_request")
    _require_active(team)
    membership = _join(team, join_request.user, via="join_request", actor=user)
    join_request.status = RequestStatus.ACCEPTED
    join_request.decided_by = user
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    log_action(join_request, "teams.join_request.approved", actor=user, data={"team": team.pk})
    return membership


@transaction.atomic
def join_request_reject(*, user: Any, join_request: JoinRequest) -> JoinRequest:
    """A member of the team says no."""
    _require_member(join_request.team, user)
    join_request = _lock_request(join_request)
    if join_request.status != RequestStatus.PENDING:
        raise _not_pending("join_request")
    join_request.status = RequestStatus.DECLINED
    join_request.decided_by = user
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    log_action(
        join_request, "teams.join_request.rejected", actor=user, data={"team": join_request.team_id}
    )
    return join_request


@transaction.atomic
def join_request_withdraw(*, user: Any, join_request: JoinRequest) -> JoinRequest:
    """The person who asked takes the request back."""
    _require_user(user)
    join_request = _lock_request(join_request)
    if join_request.user_id != user.pk:
        raise PermissionDenied(_("Only the person who asked may withdraw the request."))
    if join_request.status != RequestStatus.PENDING:
        raise _not_pending("join_request")
    join_request.status = RequestStatus.WITHDRAWN
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_at", "updated_at"])
    log_action(
        join_request,
        "teams.join_request.withdrawn",
        actor=user,
        data={"team": join_request.team_id},
    )
    return join_request


# --- role postings ------------------------------------------------------------------


@transaction.atomic
def posting_create(
    *, user: Any, team: Team, title: str, skills: Any = (), description: str = ""
) -> RolePosting:
    """A member posts a role the team is looking for."""
    _require_member(team, user)
    _require_active(team)
    title = _clean_text(title, field="title", max_length=POSTING_TITLE_MAX_LENGTH, required=True)
    description = _clean_text(
        description, field="description", max_length=POSTING_DESCRIPTION_MAX_LENGTH
    )
    skills = clean_skills(skills)
    if RolePosting.objects.filter(team=team, is_open=True).count() >= OPEN_POSTINGS_PER_TEAM:
        raise ApplicationError(
            _("A team may have at most %(n)d open role postings.") % {"n": OPEN_POSTINGS_PER_TEAM}
        )
    posting = RolePosting.objects.create(
        team=team, title=title, skills=skills, description=description
    )
    log_action(posting, "teams.posting.created", actor=user, data={"team": team.pk})
    return posting


@transaction.atomic
def posting_update(
    *,
    user: Any,
    posting: RolePosting,
    title: str | None = None,
    skills: Any = None,
    description: str | None = None,
) -> RolePosting:
    _require_member(posting.team, user)
    changed: list[str] = []
    if title is not None:
        value = _clean_text(
            title, field="title", max_length=POSTING_TITLE_MAX_LENGTH, required=True
        )
        if value != posting.title:
            posting.title = value
            changed.append("title")
    if skills is not None:
        cleaned = clean_skills(skills)
        if cleaned != posting.skills:
            posting.skills = cleaned
            changed.append("skills")
    if description is not None:
        value = _clean_text(
            description, field="description", max_length=POSTING_DESCRIPTION_MAX_LENGTH
        )
        if value != posting.description:
            posting.description = value
            changed.append("description")
    if changed:
        posting.save(update_fields=[*changed, "updated_at"])
        log_action(posting, "teams.posting.updated", actor=user, data={"fields": changed})
    return posting


@transaction.atomic
def posting_close(*, user: Any, posting: RolePosting) -> RolePosting:
    """A member closes a posting (the role is filled, or no longer needed)."""
    _require_member(posting.team, user)
    if not posting.is_open:
        raise ApplicationError(_("This role posting is already closed."))
    posting.is_open = False
    posting.save(update_fields=["is_open", "updated_at"])
    log_action(posting, "teams.posting.closed", actor=user, data={"team": posting.team_id})
    return posting


# --- people looking for a team --------------------------------------------------------


@transaction.atomic
def seeker_upsert(
    *,
    user: Any,
    challenge: Challenge | None = None,
    event: Event | None = None,
    note: str = "",
) -> TeamSeeker:
    """A participant says they are looking for a team: for a challenge (its
    event comes with it, so the entry names only the challenge), for an
    event, or in general (neither). Saying it again updates the note."""
    _require_user(user)
    note = _clean_text(note, field="note", max_length=NOTE_MAX_LENGTH)
    if challenge is not None:
        if challenge.status != ChallengeStatus.PUBLISHED:
            raise ApplicationError(_("You can only look for a team for an open challenge."))
        if _other_team_for_same(user, challenge_id=challenge.pk, event_id=None):
            raise _one_team_error()
        event = None
    seeker = TeamSeeker.objects.filter(user=user, challenge=challenge, event=event).first()
    if seeker is None:
        if TeamSeeker.objects.filter(user=user).count() >= SEEKERS_PER_USER:
            raise ApplicationError(
                _("You can look for a team in at most %(n)d places at once.")
                % {"n": SEEKERS_PER_USER}
            )
        seeker = TeamSeeker.objects.create(user=user, challenge=challenge, event=event, note=note)
        log_action(
            seeker,
            "teams.seeker.created",
            actor=user,
            data={"challenge": seeker.challenge_id, "event": seeker.event_id},
        )
        return seeker
    changed = []
    if seeker.note != note:
        seeker.note = note
        changed.append("note")
    if not seeker.is_active:
        seeker.is_active = True
        changed.append("is_active")
    if changed:
        seeker.save(update_fields=[*changed, "updated_at"])
        log_action(seeker, "teams.seeker.updated", actor=user, data={"fields": changed})
    return seeker


@transaction.atomic
def seeker_withdraw(*, user: Any, seeker: TeamSeeker) -> TeamSeeker:
    """The participant is no longer looking (for this challenge or event)."""
    _require_user(user)
    if seeker.user_id != user.pk:
        raise PermissionDenied(_("You can only change your own entries."))
    if not seeker.is_active:
        raise ApplicationError(_("You are not listed as looking for a team here."))
    seeker.is_active = False
    seeker.save(update_fields=["is_active", "updated_at"])
    log_action(seeker, "teams.seeker.withdrawn", actor=user, data={})
    return seeker
