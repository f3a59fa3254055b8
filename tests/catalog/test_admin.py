"""The admin shows harvest sources, jobs, publishers and datasets read-only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from hack365.catalog.models import Dataset, HarvestJob, Publisher
from hack365.catalog.services import harvest_job_start
from tests.accounts.factories import SuperuserFactory

from .factories import HarvestSourceFactory, catalog_ttl

pytestmark = pytest.mark.usefixtures("quiet_signals", "english")


@pytest.fixture
def admin_client_(db: Any) -> Client:
    client = Client()
    client.force_login(SuperuserFactory(username="root"))
    return client


def test_admin_pages_are_read_only(admin_client_: Client, tmp_path: Path) -> None:
    source = HarvestSourceFactory()
    path = tmp_path / "c.ttl"
    path.write_text(catalog_ttl([1, 2]))
    harvest_job_start(user=None, source=source, file_path=str(path), enqueue=False)
    objects = [
        ("harvestsource", source.pk),
        ("harvestjob", HarvestJob.objects.get().pk),
        ("publisher", Publisher.objects.get().pk),
        ("dataset", Dataset.objects.first().pk),  # type: ignore[union-attr]
    ]
    for model, pk in objects:
        base = f"/sv/admin/catalog/{model}/"
        assert admin_client_.get(base).status_code == 200
        assert admin_client_.get(f"{base}{pk}/change/").status_code == 200
        assert admin_client_.get(f"{base}add/").status_code == 403
        assert admin_client_.post(f"{base}{pk}/delete/", {"post": "yes"}).status_code == 403
    assert Dataset.objects.count() == 2
