"""The public dataset pages and the need owner's dataset linking, through
Django's test client."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from hack365.catalog.models import ChallengeDataset, Distribution
from hack365.catalog.search import index_datasets
from hack365.challenges.models import ChallengeStatus
from hack365.core.models import AuditLogEntry as AuditLog
from tests.catalog.search_helpers import make_dataset, make_publisher, search_index  # noqa: F401
from tests.challenges.factories import ChallengeFactory

pytestmark = pytest.mark.usefixtures("search_index")

CC_BY = "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"
PUBLIC = "http://publications.europa.eu/resource/authority/access-right/PUBLIC"


@pytest.fixture(autouse=True)
def swedish() -> Any:
    """Every test starts in Swedish (a request to /en/ leaves English active)."""
    with translation.override("sv"):
        yield


def _index(*datasets: Any) -> None:
    index_datasets([d.pk for d in datasets])


@pytest.fixture
def forests(db: None) -> dict[str, Any]:
    agency = make_publisher("Skogsstyrelsen")
    city = make_publisher("Umeå kommun")
    forest = make_dataset(
        {"sv": "Skog och avverkning", "en": "Forest and felling"},
        description="Avverkningsanmälningar per län.",
        publisher=agency,
        themes=["AGRI", "ENVI"],
        formats=["CSV", "GeoJSON"],
        license_uri=CC_BY,
        access_rights=PUBLIC,
        modified_days=5,
    )
    Distribution.objects.create(
        dataset=forest,
        access_url="https://skogsstyrelsen.example.se/avverkning.csv",
        format="CSV",
        byte_size=1_500_000,
        license_uri=CC_BY,
    )
    buses = make_dataset(
        "Hållplatser för kollektivtrafik",
        description="Alla busshållplatser i kommunen.",
        publisher=city,
        themes=["TRAN"],
        formats=["JSON"],
        modified_days=9,
    )
    withdrawn = make_dataset("Gammal skogskarta", publisher=agency, withdrawn=True)
    _index(forest, buses, withdrawn)
    return {"forest": forest, "buses": buses, "withdrawn": withdrawn, "agency": agency}


def test_dataset_list_shows_everything_with_facets(client: Client, forests: dict) -> None:
    response = client.get(reverse("catalog:dataset_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Skog och avverkning" in html
    assert "Hållplatser för kollektivtrafik" in html
    assert "Gammal skogskarta" not in html  # withdrawn datasets are not listed
    assert "2 datamängder" in html
    # facets: publishers with counts, licence and access rights with readable names
    assert re.search(r"Skogsstyrelsen\s*<span class=\"count\">\(1\)", html)
    assert "CC BY 4.0" in html
    assert "Öppen" in html or "Public" in html


def test_search_stems_swedish_words(client: Client, forests: dict) -> None:
    response = client.get(reverse("catalog:dataset_list"), {"q": "skogar"})
    html = response.content.decode()
    assert "Skog och avverkning" in html
    assert "Hållplatser" not in html
    assert "1 datamängd" in html


def test_facet_filter_and_sort(client: Client, forests: dict) -> None:
    response = client.get(reverse("catalog:dataset_list"), {"theme": "TRAN", "sort": "modified"})
    html = response.content.decode()
    assert "Hållplatser för kollektivtrafik" in html
    assert "Skog och avverkning" not in html
    # the chosen value stays checked
    assert re.search(r'name="theme" value="TRAN"[^>]*checked', html)


def test_english_page_uses_english_titles(client: Client, forests: dict) -> None:
    response = client.get("/en/datasets/", {"q": "forest"})
    html = response.content.decode()
    assert "Forest and felling" in html
    assert "1 dataset" in html


def test_htmx_request_gets_only_the_results(client: Client, forests: dict) -> None:
    response = client.get(reverse("catalog:dataset_list"), {"q": "skog"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert "Skog och avverkning" in html
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 5000},
        {"q": "\x00%$#\"'<script>", "theme": "\x00"},
        {"page": "99999999999"},
        {"page": "-3"},
        {"sort": "drop table"},
        {"publisher": "99999999999999999999999"},
        {"license": "x" * 2000},
    ],
)
def test_garbage_never_breaks_the_search(client: Client, forests: dict, params: dict) -> None:
    response = client.get(reverse("catalog:dataset_list"), params)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


def test_page_past_the_end_shows_the_last_page(client: Client, forests: dict) -> None:
    response = client.get(reverse("catalog:dataset_list"), {"page": "50"})
    assert "Skog och avverkning" in response.content.decode()


def test_dataset_list_queries_do_not_grow_with_rows(
    client: Client, forests: dict, django_assert_max_num_queries: Any
) -> None:
    url = reverse("catalog:dataset_list")
    client.get(url)  # warm caches (themes, sessions)
    # (the postgres search backend's own queries count too)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for n in range(20):
        _index(
            make_dataset(
                f"Extra {n}",
                publisher=make_publisher(f"Utgivare {n}"),
                themes=["ECON"],
                formats=["CSV"],
                modified_days=100 + n,  # newest first: on the first page
            )
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert "Extra 19" in response.content.decode()


def test_dataset_detail(client: Client, forests: dict) -> None:
    forest = forests["forest"]
    challenge = ChallengeFactory(status=ChallengeStatus.PUBLISHED, title="Friska skogar")
    ChallengeDataset.objects.create(challenge=challenge, dataset=forest, note="Visar avverkning.")
    hidden = ChallengeFactory(status=ChallengeStatus.DRAFT, title="Hemligt utkast")
    ChallengeDataset.objects.create(challenge=hidden, dataset=forest)
    response = client.get(forest.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Skog och avverkning</h1>" in html
    assert "Skogsstyrelsen" in html
    assert "CC BY 4.0" in html and "Öppen licens" in html
    assert "1,4\xa0MB" in html  # Swedish decimal comma (1 500 000 bytes)
    assert "https://skogsstyrelsen.example.se/avverkning.csv" in html
    assert "Friska skogar" in html and "Visar avverkning." in html
    assert "Hemligt utkast" not in html  # a draft's link is not public
    assert "av 100" in html  # quality score


def test_withdrawn_dataset_page_says_so(client: Client, forests: dict) -> None:
    response = client.get(forests["withdrawn"].get_absolute_url())
    assert response.status_code == 200
    assert "listar inte längre" in response.content.decode()


@pytest.mark.parametrize("pk", ["999999", "99999999999999999999"])
def test_unknown_dataset_is_404(client: Client, db: None, pk: str) -> None:
    assert client.get(f"/sv/datasets/{pk}/").status_code == 404


# --- linking -------------------------------------------------------------------------


@pytest.fixture
def challenge(organization: Any) -> Any:
    return ChallengeFactory(
        owner=organization,
        status=ChallengeStatus.PUBLISHED,
        title="Friskare skogar i norr",
        summary="Hur följer vi avverkningen i skogen?",
    )


def test_need_owner_finds_and_links_a_dataset(
    client: Client, need_owner: Any, challenge: Any, forests: dict
) -> None:
    client.force_login(need_owner)
    url = reverse("catalog:challenge_datasets", kwargs={"slug": challenge.slug})
    response = client.get(url, {"q": "skog"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html  # search-as-you-type gets a fragment
    assert "Skog och avverkning" in html
    assert "Gammal skogskarta" not in html
    response = client.post(
        reverse("catalog:challenge_dataset_link", kwargs={"slug": challenge.slug}),
        {"dataset": forests["forest"].pk, "note": "Visar  var det avverkas.", "q": "skog"},
    )
    assert response.status_code == 302
    assert response["Location"] == url + "?q=skog"
    link = ChallengeDataset.objects.get(challenge=challenge)
    assert link.dataset == forests["forest"]
    assert link.note == "Visar var det avverkas."
    assert link.added_by == need_owner
    assert AuditLog.objects.filter(action="catalog.challenge_dataset.linked").count() == 1
    # the challenge page and the dataset page both show the link
    page = client.get(challenge.get_absolute_url()).content.decode()
    assert "Skog och avverkning" in page and "Visar var det avverkas." in page
    assert (
        "Friskare skogar i norr"
        in client.get(forests["forest"].get_absolute_url()).content.decode()
    )


def test_linking_twice_is_refused_with_a_message(
    client: Client, need_owner: Any, challenge: Any, forests: dict
) -> None:
    client.force_login(need_owner)
    url = reverse("catalog:challenge_dataset_link", kwargs={"slug": challenge.slug})
    client.post(url, {"dataset": forests["forest"].pk})
    response = client.post(url, {"dataset": forests["forest"].pk}, follow=True)
    assert "redan kopplad" in response.content.decode()
    assert ChallengeDataset.objects.filter(challenge=challenge).count() == 1


@pytest.mark.parametrize("dataset", ["", "abc", "0", "99999999", "9" * 30])
def test_linking_bad_ids_changes_nothing(
    client: Client, need_owner: Any, challenge: Any, forests: dict, dataset: str
) -> None:
    client.force_login(need_owner)
    url = reverse("catalog:challenge_dataset_link", kwargs={"slug": challenge.slug})
    response = client.post(url, {"dataset": dataset}, follow=True)
    assert response.status_code == 200
    assert 'class="message message-error"' in response.content.decode()
    assert not ChallengeDataset.objects.exists()


def test_withdrawn_dataset_cannot_be_linked(
    client: Client, need_owner: Any, challenge: Any, forests: dict
) -> None:
    client.force_login(need_owner)
    url = reverse("catalog:challenge_dataset_link", kwargs={"slug": challenge.slug})
    response = client.post(url, {"dataset": forests["withdrawn"].pk}, follow=True)
    assert "dragits tillbaka" in response.content.decode()
    assert not ChallengeDataset.objects.exists()


def test_unlink(client: Client, need_owner: Any, challenge: Any, forests: dict) -> None:
    link = ChallengeDataset.objects.create(challenge=challenge, dataset=forests["forest"])
    client.force_login(need_owner)
    response = client.post(
        reverse("catalog:challenge_dataset_unlink", kwargs={"slug": challenge.slug, "pk": link.pk})
    )
    assert response.status_code == 302
    assert not ChallengeDataset.objects.exists()
    assert AuditLog.objects.filter(action="catalog.challenge_dataset.unlinked").count() == 1


def test_others_may_not_link(
    client: Client,
    participant: Any,
    other_need_owner: Any,
    challenge: Any,
    forests: dict,
) -> None:
    url = reverse("catalog:challenge_dataset_link", kwargs={"slug": challenge.slug})
    page = reverse("catalog:challenge_datasets", kwargs={"slug": challenge.slug})
    for user in (participant, other_need_owner):
        client.force_login(user)
        assert client.get(page).status_code == 403
        assert client.post(url, {"dataset": forests["forest"].pk}).status_code == 403
    assert not ChallengeDataset.objects.exists()
    client.logout()
    assert client.get(page).status_code == 302  # to the login page


def test_recommendations_with_reasons(
    client: Client, need_owner: Any, challenge: Any, forests: dict
) -> None:
    challenge.themes.set(["AGRI"])
    client.force_login(need_owner)
    response = client.get(reverse("catalog:challenge_datasets", kwargs={"slug": challenge.slug}))
    html = response.content.decode()
    section = html[html.index('id="recommended-heading"') :]
    assert "Skog och avverkning" in section
    assert "Hållplatser" not in section
    assert "avverkningen" in section or "skogen" in section  # the matched words are named
    assert "Jordbruk" in section  # the shared theme is named


def test_one_licence_written_two_ways_is_told_apart(client: Client, db: None) -> None:
    eu = make_dataset(
        "A", license_uri="http://publications.europa.eu/resource/authority/licence/CC0"
    )
    cc = make_dataset("B", license_uri="http://creativecommons.org/publicdomain/zero/1.0/")
    _index(eu, cc)
    html = client.get(reverse("catalog:dataset_list")).content.decode()
    assert "CC0 1.0 (publications.europa.eu)" in html
    assert "CC0 1.0 (creativecommons.org)" in html


def test_organisation_page_lists_its_datasets(
    client: Client, organization: Any, forests: dict
) -> None:
    agency = forests["agency"]
    agency.organization = organization
    agency.save(update_fields=["organization"])
    html = client.get(organization.get_absolute_url()).content.decode()
    assert "publicerar 1 datamängd" in html  # the withdrawn one is not counted
    assert "Skog och avverkning" in html
    assert f"/sv/datasets/?publisher={agency.pk}" in html
    assert "Hållplatser" not in html


def test_home_page_counts_the_datasets(client: Client, forests: dict) -> None:
    from django.core.cache import cache

    cache.clear()
    html = client.get("/sv/").content.decode()
    assert re.search(r"<strong>2</strong> <a href=\"/sv/datasets/\">öppna datamängder</a>", html)
