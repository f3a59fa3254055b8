"""Keep the search index in step with the catalog (catalog.signals are sent
after the transaction that changed the datasets has committed)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.dispatch import receiver

from hack365.catalog.signals import datasets_changed, datasets_deleted

from . import index_datasets, remove_datasets

logger = logging.getLogger(__name__)


@receiver(datasets_changed, dispatch_uid="hack365.catalog.search.index")
def index_changed_datasets(sender: Any, dataset_ids: Iterable[int] = (), **kwargs: Any) -> None:
    ids = list(dataset_ids)
    try:
        index_datasets(ids)
    except Exception:
        # The datasets are saved; a failed index update must not undo or
        # fail the harvest. `hack365 search_reindex` repairs the index.
        logger.exception("Search index not updated for %d datasets", len(ids))


@receiver(datasets_deleted, dispatch_uid="hack365.catalog.search.remove")
def remove_deleted_datasets(sender: Any, dataset_ids: Iterable[int] = (), **kwargs: Any) -> None:
    ids = list(dataset_ids)
    try:
        remove_datasets(ids)
    except Exception:
        logger.exception("Search index not updated for %d deleted datasets", len(ids))
