"""Forms for the results, awards and vote pages. They check the input's
shape; the services (award_services.py) check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hack365.challenges.forms import LocalDateTimeField
from hack365.core.forms import RadioSelect

from .award_services import MAX_PLACE
from .models import GUIDANCE_MAX, TITLE_MAX, AwardKind


class AwardCategoryForm(forms.Form):
    name = forms.CharField(label=_("Name of the award"), max_length=TITLE_MAX)
    description = forms.CharField(
        label=_("Description"),
        max_length=GUIDANCE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the award is for; shown on the winners page."),
    )
    kind = forms.ChoiceField(
        label=_("How the winner is decided"),
        choices=AwardKind.choices,
        widget=RadioSelect,
    )
    voting_opens = LocalDateTimeField(
        label=_("Voting opens"),
        required=False,
        help_text=_("Only for a people's choice. Swedish time."),
    )
    voting_closes = LocalDateTimeField(
        label=_("Voting closes"),
        required=False,
        help_text=_("Only for a people's choice. Swedish time."),
    )

    def service_fields(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in ("name", "description", "kind", "voting_opens", "voting_closes")
        }


class AwardGiveForm(forms.Form):
    solution = forms.TypedChoiceField(label=_("Solution"), coerce=int)
    place = forms.IntegerField(
        label=_("Place"),
        min_value=1,
        max_value=MAX_PLACE,
        initial=1,
        help_text=_("1 for the winner; several solutions may share a place."),
    )
    citation = forms.CharField(
        label=_("The jury's citation"),
        max_length=GUIDANCE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the solution wins; shown on the winners page."),
    )

    def __init__(self, *args: Any, solution_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["solution"].choices = [("", _("Choose a solution")), *solution_choices]  # type: ignore[attr-defined]


class VoteForm(forms.Form):
    solution = forms.IntegerField(min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)


class ToggleForm(forms.Form):
    """A yes/no action (shortlist, release feedback): ``value`` is "1" or "0"."""

    value = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1", widget=forms.HiddenInput
    )
