"""``hack365 harvest validate`` with shapes as they are published: DCAT-AP
3.0.1's SHACL refers to property shapes it never defines, and a shapes file
pyshacl cannot load at all gets a clear error, never a traceback."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from tests.conftest import SHARED, need_shared

from .factories import catalog_ttl


@pytest.fixture(autouse=True)
def swedish():
    with translation.override("sv"):
        yield


def test_dcat_ap_3_shapes_with_dangling_references(db: None) -> None:
    need_shared()
    corpus = SHARED / "corpus" / "dcat"
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(
            "harvest",
            "validate",
            "--shapes",
            str(corpus / "SEMICeu__DCAT-AP/releases__3.0.1__shacl__dcat-ap-SHACL.ttl"),
            "--file",
            str(corpus / "ckan__ckanext-dcat/examples__dcat__dataset_afs.ttl"),
            stdout=out,
            stderr=err,
        )
    assert raised.value.returncode == 1  # it ran, and found problems
    assert "aldrig definierar" in err.getvalue()
    assert "DataServiceShape" in err.getvalue()
    assert "Violation" in out.getvalue()


def test_shapes_pyshacl_cannot_load_get_a_clear_error(db: None, tmp_path: Path) -> None:
    shapes = tmp_path / "broken-shapes.ttl"
    shapes.write_text(
        """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
<urn:shape> a sh:NodeShape ; sh:targetClass dcat:Dataset ; sh:property <urn:prop> .
<urn:prop> sh:name "no path" .
""",
        encoding="utf-8",
    )
    data = tmp_path / "catalog.ttl"
    data.write_text(catalog_ttl([1]), encoding="utf-8")
    with pytest.raises(CommandError, match="inte giltig SHACL"):
        call_command("harvest", "validate", "--shapes", str(shapes), "--file", str(data))
