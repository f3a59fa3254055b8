"""Forms for the realization pages. They check the input's shape; the
services check the rules (and the lengths and dates again)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from hack365.core.forms import RadioSelect

from . import rules
from .models import REASON_MAX, TITLE_MAX, UPDATE_MAX, Decision

# What each decision means, shown beside its radio button.
DECISION_EXPLANATIONS = {
    Decision.ADOPT: _("The organisation puts the solution into regular use."),
    Decision.PILOT: _("The solution is tried out for a limited time or in a limited area."),
    Decision.PROCUREMENT: _(
        "The organisation procures a solution like it through an innovation procurement."
    ),
    Decision.FURTHER_DEVELOPMENT: _(
        "The solution is developed further, with the team or by the organisation, "
        "before a decision on its use."
    ),
    Decision.DECLINE: _("The organisation will not use the solution. Give the reason."),
}

NO_DECISION = "none"


def decision_choices() -> list[tuple[str, str]]:
    return [
        (value, f"{label} – {DECISION_EXPLANATIONS[Decision(value)]}")
        for value, label in rules.decision_choices()
    ]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=decision_choices, widget=RadioSelect)
    reason = forms.CharField(
        label=_("Reason or comment"),
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when the solution is declined. Shown to everyone."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == Decision.DECLINE and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason why the solution is declined."))
        return data


class MilestoneForm(forms.Form):
    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("When it happened or is planned, as 2026-03-12."),
    )
    title = forms.CharField(label=_("Milestone"), max_length=TITLE_MAX)
    update = forms.CharField(
        label=_("Short update"),
        max_length=UPDATE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What happened, what comes next. Shown to everyone."),
    )


class OverviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), required=False)
    event = forms.ChoiceField(label=_("Event"), required=False)

    def __init__(self, *args: Any, events: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["decision"]).choices = [
            ("", _("All decisions")),
            *rules.decision_choices(),
            (NO_DECISION, _("No decision yet")),
        ]
        cast(forms.ChoiceField, self.fields["event"]).choices = [("", _("All events")), *events]

    def filters(self) -> dict[str, Any]:
        """The valid filters (an invalid one is left out, never an error)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v}
