"""The organizers' harvesting pages, through the test client: adding and
editing sources (address or uploaded file), bad input on its fields,
starting harvests (run at once in the test settings), the job page with its
counts, log and per-record results, refusals for everyone but organizers,
and a constant number of queries on the list pages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from hack365.catalog.models import (
    Dataset,
    HarvestJob,
    HarvestRecord,
    HarvestSource,
    JobStatus,
    RecordStatus,
    Schedule,
    SourceKind,
)
from hack365.core.models import AuditLogEntry

from .factories import PREFIXES, HarvestSourceFactory, catalog_ttl

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quiet_signals")]

LOGIN = "login"

# Two datasets without a stable key: they fail, the other two are created.
UNKEYED = (
    PREFIXES
    + """
<https://data.example.se/catalog> a dcat:Catalog ; dcat:dataset [ a dcat:Dataset ;
    dct:title "Med identifierare"@sv ; dct:identifier "abc-123" ] ,
  [ a dcat:Dataset ; dct:title "Med landningssida"@sv ;
    dcat:landingPage <https://example.se/sida> ] ,
  [ a dcat:Dataset ; dct:title "Utan nyckel"@sv ] ,
  [ a dcat:Dataset ; dct:title "Samma identifierare"@sv ; dct:identifier "abc-123" ] .
"""
)


@pytest.fixture(autouse=True)
def _swedish() -> Any:
    """Each test starts in Swedish: a request to an /en/ page leaves English
    active in the thread."""
    with translation.override("sv"):
        yield


def logged_in(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def org_client(organizer: Any) -> Client:
    return logged_in(organizer)


def upload(text: str, name: str = "katalog.ttl") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/turtle")


def source_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Naturvårdsverket",
        "kind": SourceKind.DCAT_RDF,
        "url": "https://data.naturvardsverket.example.se/dcat.ttl",
        "schedule": Schedule.DAILY,
        "enabled": "on",
        "organization": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def field_errors(response: Any, field: str) -> list[str]:
    form = response.context["form"]
    return [str(e) for e in form.errors.get(field, [])]


# --- adding and editing sources --------------------------------------------------------


def test_an_organizer_adds_a_source_with_an_address(
    org_client: Client, organizer: Any, organization: Any
) -> None:
    page = org_client.get(reverse("harvest:source_create"))
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.content.decode()
    response = org_client.post(
        reverse("harvest:source_create"), source_data(organization=str(organization.pk))
    )
    source = HarvestSource.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("harvest:source_detail", args=[source.pk])
    assert (source.name, source.url, source.schedule, source.enabled) == (
        "Naturvårdsverket",
        "https://data.naturvardsverket.example.se/dcat.ttl",
        Schedule.DAILY,
        True,
    )
    assert source.organization == organization and not source.file
    entry = AuditLogEntry.objects.get(action="catalog.harvest_source.created")
    assert entry.actor == organizer
    detail = org_client.get(response["Location"]).content.decode()
    assert "Naturvårdsverket" in detail and "Starta skörd" in detail


def test_an_organizer_adds_a_source_with_an_uploaded_file(org_client: Client) -> None:
    response = org_client.post(
        reverse("harvest:source_create"),
        source_data(url="", schedule=Schedule.MANUAL, file=upload(catalog_ttl([1, 2]))),
    )
    assert response.status_code == 302
    source = HarvestSource.objects.get()
    assert source.file and not source.url
    assert source.file.name.endswith(".ttl")
    listing = org_client.get(reverse("harvest:source_list")).content.decode()
    assert "Naturvårdsverket" in listing and source.file.name in listing


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"url": ""}, "url", "Ange en adress eller ladda upp en fil."),
        (
            {"file": "catalog", "schedule": Schedule.MANUAL},
            "url",
            "Ange en adress eller ladda upp en fil, inte båda.",
        ),
        ({"url": "ftp://data.example.se/katalog.ttl"}, "url", "http:// eller https://"),
        ({"url": "javascript:alert(1)"}, "url", "http:// eller https://"),
        ({"url": "", "file": "catalog"}, "schedule", "schema"),  # a file on a schedule
        ({"name": ""}, "name", ""),
        ({"kind": "ftp"}, "kind", ""),
    ],
)
def test_bad_sources_get_clear_errors_on_their_fields(
    org_client: Client, overrides: dict[str, Any], field: str, message: str
) -> None:
    if overrides.get("file") == "catalog":
        overrides = {**overrides, "file": upload(catalog_ttl([1]))}
    response = org_client.post(reverse("harvest:source_create"), source_data(**overrides))
    assert response.status_code == 200
    errors = field_errors(response, field)
    assert errors, response.context["form"].errors
    assert any(message in error for error in errors), errors
    html = response.content.decode()
    assert 'class="error-summary"' in html and f'href="#id_{field}"' in html
    assert not HarvestSource.objects.exists()


def test_a_file_over_the_size_limit_is_refused(org_client: Client, settings: Any) -> None:
    settings.CATALOG_HARVEST_MAX_BYTES = 100
    response = org_client.post(
        reverse("harvest:source_create"),
        source_data(url="", schedule=Schedule.MANUAL, file=upload(catalog_ttl([1, 2, 3]))),
    )
    assert response.status_code == 200
    assert field_errors(response, "file") == ["Filen är större än gränsen."]
    assert not HarvestSource.objects.exists()


def test_source_names_are_unique(org_client: Client) -> None:
    HarvestSourceFactory(name="naturvårdsverket")
    response = org_client.post(reverse("harvest:source_create"), source_data())
    assert field_errors(response, "name") == ["En annan källa har redan det här namnet."]


def test_an_organizer_edits_a_source(org_client: Client) -> None:
    source = HarvestSourceFactory(name="Gammalt namn", etag='"abc"')
    url = reverse("harvest:source_edit", args=[source.pk])
    page = org_client.get(url)
    assert page.status_code == 200
    assert 'value="Gammalt namn"' in page.content.decode()
    response = org_client.post(
        url,
        source_data(name="Nytt namn", url="https://ny.example.se/c.ttl", schedule="weekly"),
    )
    assert response.status_code == 302
    source.refresh_from_db()
    assert (source.name, source.url, source.schedule, source.etag) == (
        "Nytt namn",
        "https://ny.example.se/c.ttl",
        Schedule.WEEKLY,
        "",
    )
    assert AuditLogEntry.objects.filter(action="catalog.harvest_source.updated").count() == 1


def test_editing_a_file_source_keeps_its_file_unless_a_new_one_is_uploaded(
    org_client: Client,
) -> None:
    org_client.post(
        reverse("harvest:source_create"),
        source_data(url="", schedule=Schedule.MANUAL, file=upload(catalog_ttl([1]))),
    )
    source = HarvestSource.objects.get()
    old = source.file.name
    url = reverse("harvest:source_edit", args=[source.pk])
    assert old in org_client.get(url).content.decode()  # "the current file is ..."
    data = source_data(url="", schedule=Schedule.MANUAL, enabled=None)
    assert org_client.post(url, data).status_code == 302
    source.refresh_from_db()
    assert source.file.name == old and not source.enabled
    # an address as well as the kept file is fine: the address replaces the file
    assert org_client.post(url, {**data, "url": "https://e.example.se/c.ttl"}).status_code == 302
    source.refresh_from_db()
    assert source.url == "https://e.example.se/c.ttl" and not source.file


def test_an_unknown_source_is_not_found(org_client: Client) -> None:
    assert org_client.get(reverse("harvest:source_detail", args=[999999])).status_code == 404
    assert org_client.get(reverse("harvest:job_detail", args=[999999])).status_code == 404


# --- starting harvests, the job page ---------------------------------------------------


def _file_source(org_client: Client, text: str) -> HarvestSource:
    org_client.post(
        reverse("harvest:source_create"),
        source_data(url="", schedule=Schedule.MANUAL, file=upload(text)),
    )
    return HarvestSource.objects.get()


def test_an_organizer_runs_a_harvest_of_a_file_source(
    org_client: Client, organizer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    source = _file_source(org_client, catalog_ttl([1, 2, 3]))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = org_client.post(reverse("harvest:source_run", args=[source.pk]))
    assert callbacks  # enqueued after commit, run at once by the test settings
    job = HarvestJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("harvest:job_detail", args=[job.pk])
    assert (job.status, job.created_count, job.started_by) == (JobStatus.SUCCEEDED, 3, organizer)
    assert Dataset.objects.count() == 3
    page = org_client.get(response["Location"])
    html = page.content.decode()
    assert "Skörden har startat." in html  # the message
    assert "Klar" in html  # the status in words
    assert re.search(r"<strong>3</strong>\s*nya", html)
    assert '<div class="log-box" tabindex="0" role="region"' in html and "<pre>" in html
    assert 'hx-trigger="every 3s"' not in html  # finished: no polling
    listing = org_client.get(reverse("harvest:source_list")).content.decode()
    assert reverse("harvest:job_detail", args=[job.pk]) in listing


def test_a_dry_run_with_at_most_n_datasets_saves_nothing(
    org_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    source = _file_source(org_client, catalog_ttl([1, 2, 3]))
    with django_capture_on_commit_callbacks(execute=True):
        org_client.post(
            reverse("harvest:source_run", args=[source.pk]), {"dry_run": "on", "max_items": "2"}
        )
    job = HarvestJob.objects.get()
    assert job.dry_run and job.max_items == 2
    assert job.status == JobStatus.SUCCEEDED
    assert not Dataset.objects.exists()


def test_the_job_page_shows_failed_records_and_filters_them(
    org_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    source = _file_source(org_client, UNKEYED)
    with django_capture_on_commit_callbacks(execute=True):
        org_client.post(reverse("harvest:source_run", args=[source.pk]))
    job = HarvestJob.objects.get()
    assert (job.created_count, job.failed_count) == (2, 2)
    failed = list(job.records.filter(status=RecordStatus.FAILED))
    created = job.records.filter(status=RecordStatus.CREATED, key__startswith="landing").first()
    assert len(failed) == 2 and created is not None
    url = reverse("harvest:job_detail", args=[job.pk])
    html = org_client.get(url).content.decode()
    for record in failed:
        assert escape(record.error) in html
    assert escape(created.key) in html and "4 poster" in html
    only_failed = org_client.get(url, {"failed": "on"}).content.decode()
    assert escape(failed[0].error) in only_failed
    assert escape(created.key) not in only_failed and "2 poster" in only_failed


def test_a_waiting_job_page_polls_with_htmx(org_client: Client) -> None:
    source = HarvestSourceFactory()
    job = HarvestJob.objects.create(source=source, status=JobStatus.PENDING)
    url = reverse("harvest:job_detail", args=[job.pk])
    page = org_client.get(url)
    html = page.content.decode()
    assert 'hx-trigger="every 3s"' in html and f'hx-get="{url}"' in html
    assert "Väntar" in html and "Ladda om sidan" in html  # works without JavaScript too
    assert "HX-Request" in page["Vary"]
    fragment = org_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="job"') and "<html" not in fragment
    job.status = JobStatus.FAILED
    job.error = "Servern svarade 500."
    job.save()
    done = org_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 3s"' not in done and "Servern svarade 500." in done


def test_a_second_harvest_while_one_waits_is_refused(org_client: Client) -> None:
    source = HarvestSourceFactory()
    HarvestJob.objects.create(source=source, status=JobStatus.RUNNING)
    detail = org_client.get(reverse("harvest:source_detail", args=[source.pk])).content.decode()
    assert "väntar eller pågår redan" in detail
    response = org_client.post(reverse("harvest:source_run", args=[source.pk]), follow=True)
    assert response.redirect_chain == [(reverse("harvest:source_detail", args=[source.pk]), 302)]
    assert "message-error" in response.content.decode()
    assert HarvestJob.objects.count() == 1


@pytest.mark.parametrize("max_items", ["0", "-3", "abc", "1e400", "99999999999999999999"])
def test_bad_run_options_are_refused(org_client: Client, max_items: str) -> None:
    source = HarvestSourceFactory()
    response = org_client.post(
        reverse("harvest:source_run", args=[source.pk]), {"max_items": max_items}, follow=True
    )
    assert response.status_code == 200
    assert "message-error" in response.content.decode()
    assert not HarvestJob.objects.exists()


def test_an_organizer_may_start_a_turned_off_source_by_hand(
    org_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    source = HarvestSourceFactory(enabled=False)
    detail = org_client.get(reverse("harvest:source_detail", args=[source.pk])).content.decode()
    assert "Nej, avstängd" in detail
    with django_capture_on_commit_callbacks(execute=False):
        response = org_client.post(reverse("harvest:source_run", args=[source.pk]))
    assert response.status_code == 302 and HarvestJob.objects.filter(source=source).exists()


# --- who may -----------------------------------------------------------------------------


def _pages() -> list[tuple[str, str, bool]]:
    """(name, method, takes a source (True) or a job (False) id)."""
    return [
        ("harvest:source_list", "GET", False),
        ("harvest:source_create", "GET", False),
        ("harvest:source_create", "POST", False),
        ("harvest:source_detail", "GET", True),
        ("harvest:source_edit", "GET", True),
        ("harvest:source_edit", "POST", True),
        ("harvest:source_run", "POST", True),
        ("harvest:job_detail", "GET", False),
    ]


def _counts() -> tuple[int, int, int]:
    return (
        HarvestSource.objects.count(),
        HarvestJob.objects.count(),
        AuditLogEntry.objects.count(),
    )


@pytest.mark.parametrize("role", ["anonymous", "participant", "need_owner"])
@pytest.mark.parametrize(("name", "method", "by_source"), _pages())
def test_only_organizers_see_or_use_the_pages(
    request: pytest.FixtureRequest, role: str, name: str, method: str, by_source: bool
) -> None:
    source = HarvestSourceFactory()
    job = HarvestJob.objects.create(source=source, status=JobStatus.SUCCEEDED)
    if name in ("harvest:source_list", "harvest:source_create"):
        url = reverse(name)
    else:
        url = reverse(name, args=[source.pk if by_source else job.pk])
    user = None if role == "anonymous" else request.getfixturevalue(role)
    client = logged_in(user)
    before = _counts()
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, source_data(name="Inkräktare"))
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == 403
    assert _counts() == before
    source.refresh_from_db()
    assert source.name != "Inkräktare"


def test_the_harvesting_link_is_for_organizers_only(org_client: Client, participant: Any) -> None:
    link = reverse("harvest:source_list")
    html = org_client.get(link).content.decode()
    assert f'<a href="{link}" aria-current="page">Skörd</a>' in html
    assert f'href="{link}"' in org_client.get(reverse("home")).content.decode()
    assert f'href="{link}"' not in logged_in(participant).get(reverse("home")).content.decode()


def test_the_pages_are_translated_to_english(org_client: Client) -> None:
    source = HarvestSourceFactory(name="SCB")
    with_english = org_client.get(f"/en/harvest/sources/{source.pk}/").content.decode()
    assert "Start harvest" in with_english and 'lang="en"' in with_english
    swedish = org_client.get("/sv/harvest/").content.decode()
    assert "Skördekällor" in swedish and "Lägg till en källa" in swedish


# --- queries -------------------------------------------------------------------------------


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _add_sources(n: int, organization: Any) -> None:
    for _ in range(n):
        source = HarvestSourceFactory(organization=organization)
        HarvestJob.objects.create(source=source, status=JobStatus.SUCCEEDED)
        HarvestJob.objects.create(source=source, status=JobStatus.FAILED)


def _add_jobs(source: HarvestSource, n: int, user: Any) -> HarvestJob:
    jobs = [HarvestJob.objects.create(source=source, started_by=user) for _ in range(n)]
    return jobs[0]


def _add_records(job: HarvestJob, n: int) -> None:
    start = job.records.count()
    HarvestRecord.objects.bulk_create(
        HarvestRecord(
            job=job,
            key=f"https://data.example.se/dataset/{start + i}",
            status=RecordStatus.FAILED if i % 2 else RecordStatus.CREATED,
            error="Fel." if i % 2 else "",
        )
        for i in range(n)
    )


def test_the_source_list_uses_a_constant_number_of_queries(
    org_client: Client, organization: Any
) -> None:
    url = reverse("harvest:source_list")
    _add_sources(2, organization)
    few = count_queries(org_client, url)
    _add_sources(18, organization)
    many = count_queries(org_client, url)
    assert few == many


def test_the_source_page_uses_a_constant_number_of_queries(
    org_client: Client, organizer: Any
) -> None:
    source = HarvestSourceFactory()
    url = reverse("harvest:source_detail", args=[source.pk])
    _add_jobs(source, 2, organizer)
    few = count_queries(org_client, url)
    _add_jobs(source, 18, organizer)
    many = count_queries(org_client, url)
    assert few == many


def test_the_job_page_uses_a_constant_number_of_queries(org_client: Client, organizer: Any) -> None:
    job = HarvestJob.objects.create(
        source=HarvestSourceFactory(), status=JobStatus.SUCCEEDED, started_by=organizer
    )
    url = reverse("harvest:job_detail", args=[job.pk])
    _add_records(job, 2)
    few = count_queries(org_client, url)
    _add_records(job, 18)
    many = count_queries(org_client, url)
    assert few == many
