from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "hack365.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import pagecache, sessions  # noqa: F401 - sessions connects its login receiver

        pagecache.connect_signals()
