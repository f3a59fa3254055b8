from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "hack365.catalog"
    label = "catalog"
    verbose_name = _("Open-data catalog")

    def ready(self) -> None:
        # Connects the search index to catalog.signals.
        from hack365.catalog.search import receivers  # noqa: F401
