from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JudgingConfig(AppConfig):
    name = "hack365.judging"
    label = "judging"
    verbose_name = _("Evaluation and awards")
