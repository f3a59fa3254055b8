"""Signals the catalog sends when datasets change, so that the search index
(and anything else) can follow without the harvester knowing about it.

Both are sent after the transaction that changed the rows has committed, with
``dataset_ids``: a list of Dataset primary keys."""

from django.dispatch import Signal

datasets_changed = Signal()  # created or updated (including withdrawn flag changes)
datasets_deleted = Signal()  # rows removed
