"""Loads the demo content through the same services the pages use, so the
demo also shows the audit log as real use would fill it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from hack365.accounts.models import User
from hack365.accounts.services import profile_update, user_create
from hack365.catalog import services as catalog_services
from hack365.catalog.models import Dataset, HarvestJob, JobStatus, Publisher, SourceKind
from hack365.challenges import services as challenge_services
from hack365.challenges.models import Challenge, ChallengeStatus, Event
from hack365.core.models import DataTheme
from hack365.organizations.models import County, Municipality, Organization
from hack365.organizations.services import membership_add, organization_create

from . import content

STOCKHOLM = ZoneInfo("Europe/Stockholm")
ORGANIZER_EMAIL = content.USERS[0][1]
CATALOG_FILE = Path(__file__).with_name("data") / "catalog.ttl"


class DemoError(RuntimeError):
    """The demo content could not be loaded (nothing of it is kept)."""


@dataclass
class DemoResult:
    users: list[tuple[str, str]] = field(default_factory=list)  # (e-mail, role description)
    organisations: int = 0
    events: int = 0
    challenges: dict[str, int] = field(default_factory=dict)
    questions: int = 0
    datasets: int = 0  # harvested from the demo catalog
    services: int = 0
    publishers: int = 0
    publishers_linked: int = 0  # publishers matched to a demo organisation
    dataset_links: int = 0  # datasets linked to challenges
    # teams, mentors, solutions, ...: what -> how many (printed as they are)
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class DemoContext:
    """What the parts of the demo made after the challenges build on."""

    users: dict[str, User]  # demo user name -> user
    organisations: dict[str, Organization]  # slug -> organisation
    events: dict[str, Event]  # slug -> event (its dates still ahead)
    challenges: dict[str, Challenge]  # content key -> challenge
    result: DemoResult


# Loaders of the parts that build on the challenges, in order (imported
# when called: they import this module for DemoContext).
def _parts() -> list[Callable[[DemoContext], None]]:
    from . import evaluation, mentors, solutions, teams

    return [teams.load, mentors.load, solutions.load, evaluation.load]


# None: all of them; a test may choose some.
DEMO_PARTS: list[Callable[[DemoContext], None]] | None = None


def demo_loaded() -> bool:
    return User.objects.filter(email=ORGANIZER_EMAIL).exists()


def _day(offset_days: int, hour: int = 9) -> datetime:
    today = timezone.localdate()
    moment = datetime(today.year, today.month, today.day, hour, 0, tzinfo=STOCKHOLM)
    return moment + timedelta(days=offset_days)


def _role_text(organizer: bool, memberships: list[tuple[str, str]]) -> str:
    if organizer:
        return "organizer"
    if memberships:
        return ", ".join(f"{role.replace('_', ' ')} ({slug})" for slug, role in memberships)
    return "participant"


@transaction.atomic
def load_demo() -> DemoResult:
    result = DemoResult()
    users: dict[str, User] = {}
    for username, email, name, sector, county, organizer, memberships in content.USERS:
        user = user_create(
            email=email,
            password=content.DEMO_PASSWORD,
            display_name=name,
            is_organizer=organizer,
            email_verified=True,
        )
        profile_update(
            user=user,
            display_name=name,
            sector=sector,
            county=County.objects.get(code=county),
            skills=content.SKILLS.get(username, []),
            languages=["sv", "en"],
        )
        users[username] = user
        result.users.append((email, _role_text(organizer, memberships)))
    organizer_user = users["arrangor"]

    orgs: dict[str, Organization] = {}
    for (
        slug,
        name,
        number,
        kind,
        level,
        county,
        municipality,
        website,
        desc,
    ) in content.ORGANISATIONS:
        orgs[slug] = organization_create(
            actor=organizer_user,
            name=name,
            slug=slug,
            organisation_number=number,
            kind=kind,
            level=level,
            county=County.objects.get(code=county) if county else None,
            municipality=Municipality.objects.get(code=municipality) if municipality else None,
            website=website,
            description=desc,
        )
    result.organisations = len(orgs)
    for _username, email, _name, _sector, _county, _organizer, memberships in content.USERS:
        for org_slug, role in memberships:
            membership_add(
                actor=organizer_user, organization=orgs[org_slug], email=email, role=role
            )

    # Events start in the future so that challenges can go through review;
    # their real dates are set once the challenges are in place.
    events: dict[str, Event] = {}
    for slug, name, kind, _offsets, place, description in content.EVENTS:
        events[slug] = challenge_services.event_create(
            user=organizer_user,
            name=name,
            kind=kind,
            registration_opens=_day(1),
            hacking_starts=_day(2),
            submission_deadline=_day(3, 18),
            evaluation_ends=_day(4),
            results_at=_day(5),
            location=place,
            description=description,
        )
    result.events = len(events)

    # The demo catalog is harvested before the challenges, so that need owners
    # can link datasets while they draft (archived challenges take no links).
    job = _harvest_demo_catalog(organizer_user)
    result.datasets = job.created_count + job.updated_count + job.unchanged_count
    result.services = job.source.services.count() if job.source else 0
    publishers = Publisher.objects.filter(datasets__source=job.source).distinct()
    result.publishers = publishers.count()
    result.publishers_linked = publishers.filter(organization__isnull=False).count()

    owner_of = {
        org_slug: users[username]
        for username, _e, _n, _s, _c, _o, memberships in content.USERS
        for org_slug, role in memberships
        if role == "need_owner"
    }
    challenges: dict[str, Challenge] = {}
    to_close: list[tuple[Challenge, list[str], User]] = []
    for row in content.CHALLENGES:
        key, title, owner, co_owners, event, status, level, themes = row[:8]
        summary, problem, benefit, target = row[8:]
        author = owner_of.get(owner, organizer_user)
        challenge = challenge_services.challenge_create(
            user=author,
            organization=orgs[owner],
            title=title,
            summary=summary,
            problem=problem,
            expected_benefit=benefit,
            target_group=target,
            level=level,
            themes=DataTheme.objects.filter(code__in=themes),
            co_owners=[orgs[slug] for slug in co_owners],
            event=events[event] if event else None,
        )
        result.dataset_links += _link_datasets(challenge, key, author=author)
        steps = LIFECYCLE[ChallengeStatus(status)]
        # Questions are asked while a challenge is open, before it closes.
        before_close = [step for step in steps if step not in ("close", "archive")]
        _advance(challenge, before_close, author=author, organizer=organizer_user)
        for q_key, asker, question_text, answerer, answer in content.QUESTIONS:
            if q_key != key:
                continue
            question = challenge_services.question_ask(
                user=users[asker], challenge=challenge, body=question_text
            )
            if answerer:
                challenge_services.question_answer(
                    user=users[answerer], question=question, answer=answer
                )
            result.questions += 1
        # Closed and archived challenges close once the parts below have
        # run: the past event's teams, solutions and evaluation are made
        # while its challenges are still open, as they were at the time.
        if closing := steps[len(before_close) :]:
            to_close.append((challenge, closing, author))
        challenges[key] = challenge
        result.challenges[status] = result.challenges.get(status, 0) + 1

    # Teams, mentors and solutions are made while every deadline still lies
    # ahead (the services refuse to change a solution after it), by services.
    context = DemoContext(
        users=users, organisations=orgs, events=events, challenges=challenges, result=result
    )
    for load_part in _parts() if DEMO_PARTS is None else DEMO_PARTS:
        load_part(context)

    for slug, _name, _kind, offsets, _place, _description in content.EVENTS:
        opens, starts, deadline, evaluation, results = offsets
        challenge_services.event_update(
            user=organizer_user,
            event=events[slug],
            registration_opens=_day(opens),
            hacking_starts=_day(starts, 17),
            submission_deadline=_day(deadline, 18),
            evaluation_ends=_day(evaluation),
            results_at=_day(results, 12),
        )
    for challenge, closing, author in to_close:
        _advance(challenge, closing, author=author, organizer=organizer_user)
    return result


def _harvest_demo_catalog(organizer: User) -> HarvestJob:
    """Add the shipped demo catalog as an uploaded source and harvest it now."""
    upload = SimpleUploadedFile(
        CATALOG_FILE.name, CATALOG_FILE.read_bytes(), content_type="text/turtle"
    )
    source = catalog_services.harvest_source_create(
        user=organizer,
        name=content.DEMO_CATALOG_SOURCE,
        kind=SourceKind.DCAT_RDF,
        file=upload,
        schedule="manual",
    )
    job = catalog_services.harvest_job_start(user=None, source=source, enqueue=False)
    if job.status != JobStatus.SUCCEEDED or job.failed_count:
        raise DemoError(
            f"Harvesting the demo catalog {CATALOG_FILE} ended {job.status} with "
            f"{job.failed_count} failed datasets: {job.error or job.log[-2000:]}"
        )
    return job


def _link_datasets(challenge: Challenge, key: str, *, author: User) -> int:
    """Link the datasets content.DATASET_LINKS names for a challenge, as its
    need owner would while drafting it."""
    links = content.DATASET_LINKS.get(key, [])
    datasets = Dataset.objects.in_bulk([iri for iri, _note in links], field_name="key")
    for iri, note in links:
        if iri not in datasets:
            raise DemoError(
                f"DATASET_LINKS names {iri} for {key}, but the demo catalog does not have it."
            )
        catalog_services.challenge_dataset_link(
            user=author, challenge=challenge, dataset=datasets[iri], note=note
        )
    return len(links)


LIFECYCLE: dict[ChallengeStatus, list[str]] = {
    ChallengeStatus.DRAFT: [],
    ChallengeStatus.IN_REVIEW: ["submit"],
    ChallengeStatus.CHANGES_REQUESTED: ["submit", "request_changes"],
    ChallengeStatus.PUBLISHED: ["submit", "publish"],
    ChallengeStatus.CLOSED: ["submit", "publish", "close"],
    ChallengeStatus.ARCHIVED: ["submit", "publish", "close", "archive"],
}


def _advance(challenge: Challenge, steps: list[str], *, author: Any, organizer: Any) -> None:
    """Take a challenge through lifecycle steps, as people would."""
    s = challenge_services
    for step in steps:
        if step == "submit":
            s.challenge_submit_for_review(user=author, challenge=challenge)
        elif step == "request_changes":
            s.challenge_request_changes(
                user=organizer,
                challenge=challenge,
                comment=(
                    "Tack! Beskriv gärna vilka data ni själva kan bidra med, och förtydliga "
                    "vilken målgrupp lösningen främst ska hjälpa."
                ),
            )
        elif step == "publish":
            s.challenge_publish(user=organizer, challenge=challenge)
        elif step == "close":
            s.challenge_close(user=organizer, challenge=challenge)
        elif step == "archive":
            s.challenge_archive(user=organizer, challenge=challenge)
