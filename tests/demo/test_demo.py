from __future__ import annotations

from collections.abc import Iterator
from io import StringIO

import pytest
import rdflib
from django.core.management import call_command

from hack365.accounts.models import User
from hack365.catalog.models import (
    ChallengeDataset,
    DataService,
    Dataset,
    Distribution,
    HarvestJob,
    HarvestSource,
    JobStatus,
    Publisher,
    RecordStatus,
    SourceKind,
)
from hack365.catalog.search import search_datasets
from hack365.challenges.models import Challenge, ChallengeStatus, Event
from hack365.core.models import AuditLogEntry
from hack365.demo import content, make_catalog
from hack365.demo.loader import CATALOG_FILE
from hack365.organizations.models import Membership, Organization, OrganizationKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_demo_has_every_kind_state_and_role(demo: str) -> None:
    assert Organization.objects.count() >= 8
    assert set(Organization.objects.values_list("kind", flat=True)) == set(OrganizationKind.values)
    assert Event.objects.count() == 2
    assert {e.kind for e in Event.objects.all()} == {"crisis", "annual"}
    assert Challenge.objects.count() >= 12
    assert set(Challenge.objects.values_list("status", flat=True)) == set(ChallengeStatus.values)
    covid = Challenge.objects.filter(event__kind="crisis").count()
    assert covid >= 3
    assert User.objects.filter(is_staff=True).exists()
    assert set(Membership.objects.values_list("role", flat=True)) == {"need_owner", "publisher"}
    assert Challenge.objects.filter(questions__answer__gt="").exists()
    # Loaded through the services: the lifecycle is in the audit log.
    assert AuditLogEntry.objects.filter(action="challenges.challenge.published").count() >= 7
    assert "oppna-data-hela-aret" in demo
    assert "arrangor@demo.hack365.se" in demo


def test_demo_event_phases_follow_the_dates(demo: str) -> None:
    assert Event.objects.get(kind="crisis").phase == "results"
    assert Event.objects.get(kind="annual").phase == "registration"


def test_demo_loads_once(demo: str) -> None:
    before = Challenge.objects.count()
    out = StringIO()
    call_command("demo", stdout=out)
    assert "already loaded" in out.getvalue()
    assert Challenge.objects.count() == before


def test_demo_pages_answer(demo: str, client) -> None:
    paths = ["/sv/", "/en/", "/sv/challenges/", "/sv/events/", "/sv/organisations/"]
    paths += [c.get_absolute_url() for c in Challenge.objects.filter(status="published")]
    paths += [e.get_absolute_url() for e in Event.objects.all()]
    paths += [o.get_absolute_url() for o in Organization.objects.all()]
    for path in paths:
        assert client.get(path).status_code == 200, path
    client.force_login(User.objects.get(email="arrangor@demo.hack365.se"))
    assert client.get("/sv/review/").status_code == 200


# --- the demo catalog ------------------------------------------------------------------


def _demo_source() -> HarvestSource:
    return HarvestSource.objects.get(name=content.DEMO_CATALOG_SOURCE)


def test_demo_harvests_the_shipped_catalog(demo: str) -> None:
    source = _demo_source()
    assert source.kind == SourceKind.DCAT_RDF
    assert source.file and source.file.name.endswith(".ttl")
    job = HarvestJob.objects.get(source=source)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.failed_count == 0 and job.created_count >= 200
    assert not job.records.filter(status=RecordStatus.FAILED).exists()
    assert source.last_harvested_at is not None
    datasets = Dataset.objects.filter(source=source, withdrawn=False)
    assert datasets.count() == job.created_count
    assert DataService.objects.filter(source=source).count() >= 5
    assert Distribution.objects.filter(dataset__source=source).count() > datasets.count()
    # Completeness varies on purpose, so the quality scores differ.
    scores = set(datasets.values_list("quality_score", flat=True))
    assert len(scores) >= 5 and min(scores) < 75 and max(scores) >= 95
    assert AuditLogEntry.objects.filter(action="catalog.harvest_job.finished").exists()
    assert f"Harvested {job.created_count} datasets" in demo


def test_demo_publishers_are_linked_to_the_demo_organisations(demo: str) -> None:
    by_number = dict(Organization.objects.values_list("organisation_number", "slug"))
    publishers = Publisher.objects.filter(datasets__source=_demo_source()).distinct()
    linked = set()
    for publisher in publishers:
        assert publisher.organisation_number, publisher
        expected = by_number.get(publisher.organisation_number)
        actual = publisher.organization.slug if publisher.organization else None
        assert actual == expected, publisher
        if actual:
            linked.add(actual)
    public_bodies = set(
        Organization.objects.filter(
            kind__in=["agency", "region", "municipality", "academia"]
        ).values_list("slug", flat=True)
    )
    assert linked == public_bodies
    assert publishers.filter(organization__isnull=True).count() >= 15  # SCB, Lantmäteriet …


def test_demo_challenges_have_linked_datasets(demo: str) -> None:
    shown = [ChallengeStatus.PUBLISHED, ChallengeStatus.CLOSED, ChallengeStatus.ARCHIVED]
    for challenge in Challenge.objects.filter(status__in=shown):
        links = list(ChallengeDataset.objects.filter(challenge=challenge))
        assert 2 <= len(links) <= 5, challenge.slug
        for link in links:
            assert link.note and link.added_by is not None
            assert (
                link.added_by.is_staff
                or Membership.objects.filter(
                    user=link.added_by, organization=challenge.owner, role="need_owner"
                ).exists()
            )
    assert ChallengeDataset.objects.filter(challenge__status=ChallengeStatus.DRAFT).exists()
    total = sum(len(links) for links in content.DATASET_LINKS.values())
    assert ChallengeDataset.objects.count() == total
    assert AuditLogEntry.objects.filter(action="catalog.challenge_dataset.linked").count() == total
    assert f"linked {total} datasets to challenges" in demo


def test_the_shipped_catalog_is_complete_and_up_to_date() -> None:
    # Imported here: pytest's collection warns about rdflib namespaces at module level.
    from rdflib.namespace import DCAT, DCTERMS, RDF

    text = CATALOG_FILE.read_text(encoding="utf-8")
    # Committed as generated: edit the tables, run make_catalog, commit both.
    assert text == make_catalog.catalog_text()
    graph = rdflib.Graph().parse(data=text, format="turtle")
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) >= 200
    english = 0
    for dataset in datasets:
        titles = {t.language: str(t) for t in graph.objects(dataset, DCTERMS.title)}
        descriptions = {d.language for d in graph.objects(dataset, DCTERMS.description)}
        assert titles.get("sv") and "sv" in descriptions, dataset
        assert graph.value(dataset, DCTERMS.publisher) is not None, dataset
        english += "en" in titles
    assert 0 < english < len(datasets)  # some only in Swedish
    for links in content.DATASET_LINKS.values():
        for iri, _note in links:
            assert rdflib.URIRef(iri) in datasets, iri
    assert "Bekräftade fall av covid-19 per region" in text
    assert "Skogliga grunddata" in text


def test_demo_loads_once_with_its_catalog(demo: str) -> None:
    counts = (Dataset.objects.count(), HarvestJob.objects.count(), ChallengeDataset.objects.count())
    out = StringIO()
    call_command("demo", stdout=out)
    assert "already loaded" in out.getvalue()
    assert (
        Dataset.objects.count(),
        HarvestJob.objects.count(),
        ChallengeDataset.objects.count(),
    ) == counts


@pytest.fixture
def forget_content_types() -> Iterator[None]:
    """The flush recreates the content types with new ids, which their
    manager caches; the rollback brings the old rows back, so the cache must
    go too, or later tests get the rolled-back ids."""
    from django.contrib.contenttypes.models import ContentType

    yield
    ContentType.objects.clear_cache()


@pytest.mark.django_db
@pytest.mark.usefixtures("forget_content_types")
def test_demo_reset_loads_everything_again() -> None:
    """In the test's transaction (rolled back after it, so the reference data
    the flush removes is back for the tests that follow)."""
    from django.db import connection

    call_command("demo", stdout=StringIO())
    first = set(Dataset.objects.values_list("key", flat=True))
    if connection.vendor == "postgresql":
        # The flush TRUNCATEs, which PostgreSQL refuses while the test's
        # transaction still has deferred foreign-key checks pending.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    out = StringIO()
    call_command("demo", "--reset", stdout=out)
    assert "Harvested" in out.getvalue()
    assert set(Dataset.objects.values_list("key", flat=True)) == first
    assert HarvestSource.objects.count() == 1 and HarvestJob.objects.count() == 1
    # The index was rebuilt from the new rows.
    result = search_datasets("skyfall")
    assert result.total > 0
    assert set(result.ids) <= set(Dataset.objects.values_list("id", flat=True))


def test_demo_has_a_finished_evaluation_awards_and_realization_in_every_stage(demo: str) -> None:
    from hack365.judging.award_selectors import round_results
    from hack365.judging.models import (
        AssignmentStatus,
        Award,
        AwardKind,
        ConflictDeclaration,
        EvaluationRound,
        RoundStatus,
        Score,
        Vote,
    )
    from hack365.realization.models import Decision, FollowUp, Milestone, Realization

    finished = EvaluationRound.objects.get(event__kind="crisis")
    assert finished.status == RoundStatus.CLOSED
    assert finished.closes_at < finished.event.results_at
    assert finished.entries.count() == 6
    # Every entry scored by three jury members; one declared conflict, reassigned.
    assert ConflictDeclaration.objects.filter(entry__round=finished).count() == 1
    assert finished.entries.filter(assignments__status=AssignmentStatus.RECUSED).count() == 1
    for entry in finished.entries.all():
        assert entry.assignments.filter(status=AssignmentStatus.SUBMITTED).count() == 3
    assert Score.objects.filter(assignment__entry__round=finished, justification="").count() == 0
    assert finished.entries.filter(shortlisted=True).count() == 3
    assert finished.entries.filter(feedback_released_at__isnull=True).count() == 0
    results = round_results(finished)
    assert [row.result.rank for row in results] == sorted(row.result.rank for row in results)
    assert all(row.result.jurors == 3 for row in results)
    # Awards, published, one of them from the public vote.
    assert Award.objects.filter(category__published_at__isnull=False).count() == 3
    assert Award.objects.filter(category__kind=AwardKind.PEOPLE).count() == 1
    assert Vote.objects.count() >= 5
    # Realization in every stage, and one not decided yet.
    assert set(Realization.objects.values_list("decision", flat=True)) == set(Decision.values)
    assert Realization.objects.get(decision=Decision.DECLINE).reason
    assert Milestone.objects.count() >= 5
    assert FollowUp.objects.filter(months=6, sent_at__isnull=False).exists()
    assert FollowUp.objects.filter(months=12, sent_at__isnull=True).exists()
    # The coming event has a blind round being prepared.
    preparing = EvaluationRound.objects.get(event__kind="annual")
    assert preparing.status == RoundStatus.DRAFT and preparing.blind
    assert preparing.criteria.count() == 5
    assert "jury2@demo.hack365.se" in demo
