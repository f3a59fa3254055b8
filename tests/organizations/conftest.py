from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from hack365.organizations.models import County, Municipality


@pytest.fixture
def anonymous() -> AnonymousUser:
    return AnonymousUser()


@pytest.fixture
def stockholms_lan(db: Any) -> County:
    return County.objects.get(code="01")


@pytest.fixture
def skane(db: Any) -> County:
    return County.objects.get(code="12")


@pytest.fixture
def stockholm(db: Any) -> Municipality:
    return Municipality.objects.get(code="0180")


@pytest.fixture
def malmo(db: Any) -> Municipality:
    return Municipality.objects.get(code="1280")
