from __future__ import annotations

import pytest
from django.utils import translation

from hack365.catalog import labels


@pytest.mark.parametrize(
    ("uri", "label", "is_open"),
    [
        ("http://publications.europa.eu/resource/authority/licence/CC_BY_4_0", "CC BY 4.0", True),
        ("https://publications.europa.eu/resource/authority/licence/CC0", "CC0 1.0", True),
        ("http://creativecommons.org/licenses/by/4.0/", "CC BY 4.0", True),
        ("http://creativecommons.org/licenses/by-nc/4.0/", "CC BY-NC 4.0", False),
        ("https://creativecommons.org/publicdomain/zero/1.0/", "CC0 1.0", True),
        ("https://example.se/licens/egen-licens", "egen-licens", False),
        ("Fri användning", "Fri användning", False),
    ],
)
def test_licence_labels(uri: str, label: str, is_open: bool) -> None:
    assert labels.licence_label(uri) == label
    assert labels.is_open_licence(uri) is is_open


def test_access_rights_and_frequency_in_both_languages() -> None:
    public = "http://publications.europa.eu/resource/authority/access-right/PUBLIC"
    annual = "http://publications.europa.eu/resource/authority/frequency/ANNUAL"
    with translation.override("sv"):
        assert labels.access_rights_label(public) == "Öppen"
        assert labels.frequency_label(annual) == "Varje år"
    with translation.override("en"):
        assert labels.access_rights_label(public) == "Public"
        assert labels.frequency_label(annual) == "Every year"
    assert labels.frequency_label("https://example.se/freq/varannan-tisdag") == "varannan-tisdag"
