"""Sample objects for the URL walker and the permission matrix, the registry
that turns them into URL arguments, and helpers to log in, to snapshot the
database and to undo a request.

When a new URL pattern takes arguments, add an entry to ``SAMPLES`` (or, for
the admin, make sure ``World`` holds an instance of the model)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from typing import Any

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache as django_cache
from django.db import connection, models, transaction
from django.test import Client
from django.test.client import ClientHandler
from django.utils import timezone

from hack365.accounts.models import User
from hack365.catalog.models import (
    ChallengeDataset,
    Dataset,
    HarvestJob,
    HarvestRecord,
    HarvestSource,
    JobStatus,
    RecordStatus,
)
from hack365.challenges.models import Challenge, ChallengeStatus, Event, Question
from hack365.core.audit import log_action
from hack365.core.models import DataTheme
from hack365.organizations.models import Membership, MembershipRole, Organization
from tests.accounts.factories import OrganizerFactory, SuperuserFactory, UserFactory
from tests.catalog.factories import DatasetFactory, HarvestSourceFactory
from tests.challenges.factories import ChallengeFactory, EventFactory, QuestionFactory
from tests.organizations.factories import MembershipFactory, OrganizationFactory

from .walker import Route

# The roles of the permission matrix, in its column order.
ROLES = (
    "anonymous",
    "participant",
    "need_owner_this",  # need owner of the sample challenge's organisation
    "need_owner_other",  # need owner of another organisation
    "publisher",  # publisher of the sample challenge's organisation
    "organizer",  # platform staff
)
PASSWORD = "correct-horse-battery"  # the factories' password


@dataclass
class World:
    """One of everything, owned by ``organization`` where ownership matters."""

    organization: Organization
    other_organization: Organization
    users: dict[str, User | None]  # role -> user (None: anonymous)
    superuser: User
    challenges: dict[str, Challenge]  # status -> a challenge of ``organization``
    event: Event
    questions: dict[str, Question]  # "visible", "hidden", "on_draft" -> a question
    removable_membership: Membership
    email_confirmation_key: str
    password_reset: dict[str, str]  # uidb36, key
    sessions: dict[str, str]  # role (and "superuser") -> session key
    # model -> an instance, for every model in the admin that has one
    extra: dict[type[models.Model], models.Model] = field(default_factory=dict)
    # harvesting: "idle", "busy" (a job waiting), "off" (turned off) -> a source;
    # "finished" (with records, one failed), "waiting" -> a job
    harvest_sources: dict[str, HarvestSource] = field(default_factory=dict)
    harvest_jobs: dict[str, HarvestJob] = field(default_factory=dict)
    # catalog: "listed", "unlinked" (linked to no challenge), "withdrawn" -> a
    # dataset; a challenge status -> a dataset link on that challenge
    datasets: dict[str, Dataset] = field(default_factory=dict)
    dataset_links: dict[str, ChallengeDataset] = field(default_factory=dict)
    # the areas in tests/security/parts/: module name -> its samples
    parts: dict[str, dict[str, Any]] = field(default_factory=dict)

    def user(self, role: str) -> User | None:
        """The user for a matrix role, or ``"superuser"``; None: anonymous."""
        return self.superuser if role == "superuser" else self.users[role]

    def challenge(self, status: str) -> Challenge:
        return self.challenges[str(status)]

    def instance_of(self, model: type[models.Model]) -> models.Model | None:
        """A sample instance of ``model``, for the admin's object pages (see
        ``_sample_instance``)."""
        return self.extra.get(model)


def build_world() -> World:
    organization = OrganizationFactory(name="Länsstyrelsen Prov", slug="lansstyrelsen-prov")
    other = OrganizationFactory(name="Annan kommun", slug="annan-kommun-prov")
    need_owner = MembershipFactory(
        organization=organization, role=MembershipRole.NEED_OWNER, user__username="needowner"
    ).user
    other_need_owner = MembershipFactory(
        organization=other, role=MembershipRole.NEED_OWNER, user__username="otherowner"
    ).user
    publisher = MembershipFactory(
        organization=organization, role=MembershipRole.PUBLISHER, user__username="publisher"
    ).user
    removable = MembershipFactory(
        organization=organization, role=MembershipRole.PUBLISHER, user__username="removable"
    )
    users: dict[str, User | None] = {
        "anonymous": None,
        "participant": UserFactory(username="participant"),
        "need_owner_this": need_owner,
        "need_owner_other": other_need_owner,
        "publisher": publisher,
        "organizer": OrganizerFactory(username="organizer"),
    }
    superuser = SuperuserFactory(username="superuser")

    theme = DataTheme.objects.order_by("code").first()
    event = EventFactory(slug="prov-hackathon")
    now = timezone.now()
    challenges: dict[str, Challenge] = {}
    for status in ChallengeStatus:
        fields: dict[str, Any] = {"owner": organization, "slug": f"prov-{status.value}"}
        if status in (ChallengeStatus.PUBLISHED, ChallengeStatus.CLOSED, ChallengeStatus.ARCHIVED):
            fields["published_at"] = now - timedelta(days=3)
        if status in (ChallengeStatus.CLOSED, ChallengeStatus.ARCHIVED):
            fields["closed_at"] = now - timedelta(days=1)
        if status in (ChallengeStatus.IN_REVIEW, ChallengeStatus.CHANGES_REQUESTED):
            fields["submitted_at"] = now - timedelta(days=2)
        if status == ChallengeStatus.CHANGES_REQUESTED:
            fields["review_comment"] = "Beskriv målgruppen tydligare."
        challenge = ChallengeFactory(status=status, **fields)
        if theme is not None:
            challenge.themes.add(theme)
        challenge.contacts.add(need_owner)
        challenges[str(status.value)] = challenge
    published = challenges["published"]
    published.event = event
    published.save(update_fields=["event"])
    asker = users["participant"]
    questions = {
        "visible": QuestionFactory(challenge=published, author=asker),
        "hidden": QuestionFactory(
            challenge=published, author=asker, is_hidden=True, hidden_reason="Reklam."
        ),
        # asked while the challenge was open, before it went back to draft
        "on_draft": QuestionFactory(challenge=challenges["draft"], author=asker),
    }

    # allauth: an unverified address with its confirmation key, a reset token.
    unverified = UserFactory(username="unverified", verified=False)
    address = EmailAddress.objects.create(user=unverified, email=unverified.email, primary=True)
    reset_user = UserFactory(username="forgetful")

    # an audit log entry, for the admin's pages about one
    log_action(published, "challenges.challenge.published", actor=users["organizer"])

    sessions = {}
    for role, user in [*users.items(), ("superuser", superuser)]:
        if user is not None:
            client = Client()
            client.force_login(user)
            sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    world = World(
        organization=organization,
        other_organization=other,
        users=users,
        superuser=superuser,
        challenges=challenges,
        event=event,
        questions=questions,
        removable_membership=removable,
        email_confirmation_key=EmailConfirmationHMAC(address).key,
        password_reset={
            "uidb36": user_pk_to_url_str(reset_user),
            "key": default_token_generator.make_token(reset_user),
        },
        sessions=sessions,
    )
    for model in admin.site._registry:
        instance = _sample_instance(model, world)
        if instance is not None:
            world.extra[model] = instance
    _add_harvest_samples(world)
    _add_catalog_samples(world)
    from .parts import parts

    for part in parts():
        part.add_samples(world)
    return world


def _add_catalog_samples(world: World) -> None:
    """Datasets, and a dataset link on a published, a draft and an archived
    challenge (the published one is the admin's sample link)."""
    listed = _sample_instance(Dataset, world)
    assert isinstance(listed, Dataset)
    published_link = _sample_instance(ChallengeDataset, world)
    assert isinstance(published_link, ChallengeDataset)
    unlinked = DatasetFactory(title={"sv": "Okopplad datamängd"})
    withdrawn = DatasetFactory(title={"sv": "Tillbakadragen datamängd"}, withdrawn=True)
    links = {"published": published_link}
    for status in ("draft", "archived"):
        links[status] = ChallengeDataset.objects.create(
            challenge=world.challenge(status), dataset=listed
        )
    world.datasets = {"listed": listed, "unlinked": unlinked, "withdrawn": withdrawn}
    world.dataset_links = links


def _add_harvest_samples(world: World) -> None:
    """Harvest sources in each state the organizers' pages treat apart, and
    jobs: one finished with records (one failed), one waiting."""
    now = timezone.now()
    idle = HarvestSourceFactory(name="Prov: ledig källa", last_harvested_at=now)
    busy = HarvestSourceFactory(name="Prov: upptagen källa")
    off = HarvestSourceFactory(name="Prov: avstängd källa", enabled=False)
    finished = HarvestJob.objects.create(
        source=idle,
        status=JobStatus.SUCCEEDED,
        started_at=now - timedelta(minutes=2),
        finished_at=now - timedelta(minutes=1),
        created_count=1,
        failed_count=1,
        log="Läste 2 datamängder.",
        started_by=world.users["organizer"],
    )
    HarvestRecord.objects.create(
        job=finished, key="https://data.example.se/dataset/1", status=RecordStatus.CREATED
    )
    HarvestRecord.objects.create(
        job=finished,
        key="https://data.example.se/dataset/2",
        status=RecordStatus.FAILED,
        error="Datamängden saknar titel.",
    )
    waiting = HarvestJob.objects.create(source=busy, status=JobStatus.PENDING)
    world.harvest_sources = {"idle": idle, "busy": busy, "off": off}
    world.harvest_jobs = {"finished": finished, "waiting": waiting}


# --- an instance of every model in the admin ----------------------------------------

# Models in the admin that neither the migrations, build_world nor a factory
# named tests/<app>/factories.py:<Model>Factory give an instance: label -> maker.
ADMIN_SAMPLE_MAKERS: dict[str, Callable[[World], models.Model]] = {
    "auth.Group": lambda w: Group.objects.create(name="Prov"),
    "django_tasks_database.DBTaskResult": lambda w: _model("django_tasks_database.DBTaskResult")(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="hack365.tasks.sample",
        backend_name="default",
        run_after=timezone.now(),
    ),
    "catalog.HarvestJob": lambda w: _model("catalog.HarvestJob")(
        source=_sample_instance(apps.get_model("catalog.HarvestSource"), w)
    ),
    "catalog.DataService": lambda w: _model("catalog.DataService")(
        key="https://data.example.se/service/prov", title={"sv": "Provtjänst"}
    ),
    "catalog.ChallengeDataset": lambda w: _model("catalog.ChallengeDataset")(
        challenge=w.challenge("published"),
        dataset=_sample_instance(apps.get_model("catalog.Dataset"), w),
    ),
    # mentors: factories in tests/teams/mentor_factories.py
    "teams.MentorProfile": lambda w: _mentor_factory("MentorProfileFactory")(),
    "teams.MentorSlot": lambda w: _mentor_factory("MentorSlotFactory")(),
    "teams.Booking": lambda w: _mentor_factory("BookingFactory")(),
    "teams.CalendarFeed": lambda w: _mentor_factory("CalendarFeedFactory")(),
}


def _mentor_factory(name: str) -> Any:
    return getattr(importlib.import_module("tests.teams.mentor_factories"), name)


def _model(label: str) -> Callable[..., models.Model]:
    """``objects.create`` of the model named ``label``."""
    return apps.get_model(label)._default_manager.create


def _factory_for(model: type[models.Model]) -> Any:
    """The factory ``tests.<app>.factories.<Model>Factory``, if there is one."""
    try:
        module = importlib.import_module(f"tests.{model._meta.app_label}.factories")
    except ImportError:
        return None
    found = getattr(module, f"{model.__name__}Factory", None)
    return found if getattr(getattr(found, "_meta", None), "model", None) is model else None


def _sample_instance(model: type[models.Model], world: World) -> models.Model | None:
    """An instance of ``model``: the first in the database, else one made by
    ADMIN_SAMPLE_MAKERS or by the model's factory; None if neither knows how."""
    if model in world.extra:
        return world.extra[model]
    instance = model._default_manager.order_by("pk").first()
    if instance is None and model._meta.label in ADMIN_SAMPLE_MAKERS:
        instance = ADMIN_SAMPLE_MAKERS[model._meta.label](world)
    if instance is None and (factory := _factory_for(model)) is not None:
        instance = factory()
    if instance is not None:
        world.extra[model] = instance
    return instance


# --- sample URL arguments -------------------------------------------------------------

# pattern key -> function(world, variant) -> URL kwargs. ``variant`` is None
# for the default sample, or what a permission-matrix row names in brackets
# (a challenge status, "hidden" for a question ...).
Sampler = Callable[[World, str | None], dict[str, str]]


class MissingSample(LookupError):
    pass


def _pick(options: dict[str, Any], variant: str | None, default: str) -> Any:
    key = variant or default
    if key not in options:
        raise MissingSample(f"no sample {key!r}; there are {sorted(options)}")
    return options[key]


def _challenge(default: str) -> Sampler:
    return lambda w, variant: {"slug": _pick(w.challenges, variant, default).slug}


def _question(default: str) -> Sampler:
    return lambda w, variant: {"pk": str(_pick(w.questions, variant, default).pk)}


def _event(w: World, variant: str | None) -> dict[str, str]:
    return {"slug": _pick({"event": w.event}, variant, "event").slug}


def _organisation(w: World, variant: str | None) -> dict[str, str]:
    orgs = {"this": w.organization, "other": w.other_organization}
    return {"slug": _pick(orgs, variant, "this").slug}


def _harvest_source(w: World, variant: str | None) -> dict[str, str]:
    return {"pk": str(_pick(w.harvest_sources, variant, "idle").pk)}


def _harvest_job(w: World, variant: str | None) -> dict[str, str]:
    return {"pk": str(_pick(w.harvest_jobs, variant, "finished").pk)}


def _dataset(w: World, variant: str | None) -> dict[str, str]:
    return {"pk": str(_pick(w.datasets, variant, "listed").pk)}


def _dataset_link(w: World, variant: str | None) -> dict[str, str]:
    """A link under its own challenge's address; ``mismatch``: the draft's link
    under the published challenge's address."""
    if variant == "mismatch":
        return {"slug": w.challenge("published").slug, "pk": str(w.dataset_links["draft"].pk)}
    link = _pick(w.dataset_links, variant, "published")
    return {"slug": link.challenge.slug, "pk": str(link.pk)}


def _membership(w: World, variant: str | None) -> dict[str, str]:
    """The removable membership, under its own organisation's address or
    (``other``) under another organisation's."""
    orgs = {"this": w.organization, "other": w.other_organization}
    return {"slug": _pick(orgs, variant, "this").slug, "pk": str(w.removable_membership.pk)}


S = ChallengeStatus
SAMPLES: dict[str, Sampler] = {
    "challenges:detail": _challenge(S.PUBLISHED),
    "challenges:edit": _challenge(S.DRAFT),
    "challenges:submit": _challenge(S.DRAFT),
    "challenges:publish": _challenge(S.IN_REVIEW),
    "challenges:close": _challenge(S.PUBLISHED),
    "challenges:archive": _challenge(S.CLOSED),
    "challenges:request_changes": _challenge(S.IN_REVIEW),
    "challenges:ask": _challenge(S.PUBLISHED),
    "challenges:answer": _question("visible"),
    "challenges:hide_question": _question("visible"),
    "challenges:unhide_question": _question("hidden"),
    "challenges:event_detail": _event,
    "challenges:event_edit": _event,
    "organizations:detail": _organisation,
    "organizations:edit": _organisation,
    "organizations:members": _organisation,
    "organizations:member_remove": _membership,
    "harvest:source_detail": _harvest_source,
    "harvest:source_edit": _harvest_source,
    "harvest:source_run": _harvest_source,
    "harvest:job_detail": _harvest_job,
    "catalog:dataset_detail": _dataset,
    "catalog:challenge_datasets": _challenge(S.PUBLISHED),
    "catalog:challenge_dataset_link": _challenge(S.PUBLISHED),
    "catalog:challenge_dataset_unlink": _dataset_link,
    "account_confirm_email": lambda w, v: {"key": w.email_confirmation_key},
    "account_reset_password_from_key": lambda w, v: dict(w.password_reset),
}


def _add_part_samples() -> None:
    from .parts import parts

    for part in parts():
        clash = set(part.SAMPLES) & set(SAMPLES)
        assert not clash, f"{part.__name__}: samples given twice: {sorted(clash)}"
        SAMPLES.update(part.SAMPLES)


_add_part_samples()


def _admin_model(route: Route) -> type[models.Model] | None:
    """The model of an admin object page (change, delete, history, the
    redirect to change), from its route ``<lang>/admin/<app>/<model>/...``."""
    parts = route.template.split("/")
    if len(parts) < 5 or parts[1] != "admin":
        return None
    try:
        return apps.get_model(parts[2], parts[3])
    except (LookupError, ValueError):
        return None


def _admin_sample(route: Route, world: World) -> dict[str, str] | None:
    names = set(route.param_names)
    if route.key == "admin:app_list":
        return {"app_label": "challenges"}
    if route.key == "admin:view_on_site":
        challenge = world.challenge(S.PUBLISHED)
        ct = ContentType.objects.get_for_model(Challenge)
        return {"content_type_id": str(ct.pk), "object_id": str(challenge.pk)}
    if names == {"url"}:  # the admin's catch-all: a page that does not exist
        return {"url": "no-such-page/"}
    if names == {"object_id"}:
        model = _admin_model(route)
        instance = world.instance_of(model) if model is not None else None
        if instance is not None:
            return {"object_id": str(instance.pk)}
    return None


def sample_kwargs(route: Route, world: World, variant: str | None = None) -> dict[str, str]:
    """Concrete URL arguments for ``route``; :class:`MissingSample` when the
    registry cannot fill them."""
    if not route.params:
        if variant is not None:
            raise MissingSample(f"{route.key} takes no arguments, so no variant {variant!r}")
        return {}
    if route.key in SAMPLES:
        try:
            values = SAMPLES[route.key](world, variant)
        except MissingSample as error:
            raise MissingSample(f"{route.key}: {error}") from error
    elif route.is_admin and variant is None:
        values = _admin_sample(route, world) or {}
    else:
        values = {}
    missing = set(route.param_names) - set(values)
    if missing:
        raise MissingSample(
            f"The URL walker has no sample value for {sorted(missing)} of the URL pattern "
            f"{route.key} ({route.template}): add an entry to SAMPLES in "
            "tests/security/world.py (and the object to build_world)"
            + (
                ", or a maker for its model to ADMIN_SAMPLE_MAKERS (or a factory)"
                if route.is_admin
                else ""
            )
            + "."
        )
    return values


def sample_path(route: Route, world: World, variant: str | None = None, lang: str = "sv") -> str:
    return route.path(sample_kwargs(route, world, variant), lang=lang)


# --- bad values -----------------------------------------------------------------------

# Values that name nothing, tried for every URL argument whose converter
# accepts them (checked against the converter's regex).
BAD_VALUES = (
    "999999",
    "99999999999999999999999999",  # beyond a 64-bit integer
    "does-not-exist",
    "x" * 2000,
    "åäö-ümlaut-日本",
    "../",
    "a\x00b",  # sent as a%00b
)


def bad_values_for(route: Route, world: World) -> list[dict[str, str]]:
    """URL kwargs with one argument replaced by each bad value its converter
    accepts (the others keep their sample values)."""
    if not route.params:
        return []
    good = sample_kwargs(route, world)
    variants = []
    for param in route.params:
        for value in BAD_VALUES:
            if param.accepts(value):
                variants.append({**good, param.name: value})
    return variants


# Garbage query strings, sent to every page: each mixes several parameters
# that our views, allauth or the admin read, so that three requests try them all
# (a form reports each bad field separately; the admin's changelist stops at
# the first unknown lookup, so the admin's own parameters come first).
GARBAGE_QUERIES: tuple[str, ...] = (
    "page=abc&p=abc&o=abc&q=%3Cscript%3Ealert(1)%3C/script%3E&theme=ZZZ&level=ZZZ"
    "&status=ZZZ&county=ZZZ&organisation=ZZZ&event=ZZZ&kind=ZZZ&_popup=x&_to_field=x"
    "&next=%2F%2Fevil.example%2F&redirect=javascript:alert(1)&created_at__gte=garbage",
    "page=-1&p=-1&o=-1&all=&e=1&q=a&q=b&theme=x&theme=y&theme%5B%5D=x&level=a&level=b"
    "&next=a&next=b&_changelist_filters=%00&status__exact=ZZZ&id__in=a,b",
    "q=%00%FF%FE&theme=%C3%28&level=%00&status=%00&county=%00&organisation=%00"
    "&event=%00&kind=%00&next=%00&lang=%00&language=%00&o=%00&p=99999999"
    "&title=" + "x" * 5000 + "&page=" + "9" * 400,
)


# --- clients, snapshots, rollback ------------------------------------------------------


@cache
def _handler(csrf: bool) -> ClientHandler:
    """One request handler for all clients: loading the middleware for every
    new client costs more than many of the requests."""
    return ClientHandler(enforce_csrf_checks=csrf)


def client_for(world: World, role: str, *, csrf: bool = False) -> Client:
    """A test client logged in as ``role`` (or ``"superuser"``) through the
    session made for it in :func:`build_world`. With ``csrf=True`` it enforces
    CSRF checks, like a browser whose request carries no token."""
    client = Client(enforce_csrf_checks=csrf, raise_request_exception=False)
    client.handler = _handler(csrf)
    key = world.sessions.get(role)  # None for anonymous
    if key is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = key
    return client


@contextmanager
def rolled_back() -> Iterator[None]:
    """Run a request in a savepoint that is rolled back, so that every request
    starts from the same world (rows do not affect each other, and a POST that
    deletes an account or logs out leaves the sessions of build_world intact);
    the cache, where rate limits count, is cleared too."""
    django_cache.clear()
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
    django_cache.clear()


# Snapshots may leave out the session table, for two reasons: an anonymous
# visitor's request may start a session (allauth keeps a password-reset key or
# a message there), which changes nothing on the platform; and these pages end
# the visitor's session on GET, on purpose:
SESSIONS = "sessions.Session"
SESSION_ENDING_GETS = {
    "account_confirm_email": "allauth logs out a logged-in user who opens the e-mail "
    "confirmation link of another account, so the confirmation is not mixed up with them",
    "account_reset_password_from_key": "allauth logs out a logged-in user who opens the "
    "password-reset link of another account, for the same reason",
}


def snapshot_ignore(pattern: str, user: Any) -> set[str]:
    """The tables a request to ``pattern`` by ``user`` may change although it
    changes nothing on the platform (see above)."""
    if user is None or pattern in SESSION_ENDING_GETS:
        return {SESSIONS}
    return set()


@cache
def _snapshot_query() -> tuple[str, tuple[str, ...]]:
    """One SELECT of every table's row count (and latest ``updated_at``).
    The names come from the models and are quoted, not from input."""
    quote_name = connection.ops.quote_name
    columns: list[str] = []
    labels: list[str] = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        table = quote_name(meta.db_table)
        columns.append("(SELECT COUNT(*) FROM " + table + ")")  # noqa: S608
        labels.append(meta.label)
        updated = next((f for f in meta.concrete_fields if f.name == "updated_at"), None)
        if updated is not None:
            column = quote_name(updated.column)
            columns.append("(SELECT MAX(" + column + ") FROM " + table + ")")  # noqa: S608
            labels.append(f"{meta.label}.updated_at")
    return "SELECT " + ", ".join(columns), tuple(labels)


def snapshot(*, ignore: Iterable[str] = ()) -> dict[str, Any]:
    """Row counts of every table, and the latest ``updated_at`` where there is
    one, in one query: compare before and after a request."""
    sql, labels = _snapshot_query()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    skip = set(ignore)
    return {
        label: value
        for label, value in zip(labels, row, strict=True)
        if label.split(".updated_at")[0] not in skip
    }


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """What changed between two snapshots: {label: (before, after)}."""
    return {
        key: (before.get(key), after.get(key))
        for key in sorted(before.keys() | after.keys())
        if before.get(key) != after.get(key)
    }
