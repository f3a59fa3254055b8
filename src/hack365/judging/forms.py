"""Forms for the jury pages. They check the input's shape; the services
check the rules (the scale of a score, a justification, the round's state)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hack365.challenges.forms import LocalDateTimeField
from hack365.challenges.models import PUBLIC_STATUSES, Challenge, Event
from hack365.core.forms import RadioSelect

from .models import (
    EXPLANATION_MAX,
    GUIDANCE_MAX,
    JUSTIFICATION_MAX,
    SCALE_BOUNDS,
    TITLE_MAX,
    ConflictReason,
    Criterion,
    EvaluationRound,
    Scale,
)
from .services import ACCOUNT_MAX, MAX_JURORS_PER_SOLUTION, MAX_WEIGHT


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    guidance = forms.CharField(
        label=_("Guidance for the jury"),
        max_length=GUIDANCE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    opens_at = LocalDateTimeField(label=_("Scoring opens"))
    closes_at = LocalDateTimeField(
        label=_("Scoring closes"),
        help_text=_("At this time every score is locked (server time)."),
    )
    jurors_per_solution = forms.IntegerField(
        label=_("Jury members per solution"),
        min_value=1,
        max_value=MAX_JURORS_PER_SOLUTION,
        initial=3,
        help_text=_("Automatic assignment gives each solution at least this many."),
    )
    blind = forms.BooleanField(
        label=_("Blind review: hide team and member names from the jury"),
        required=False,
        help_text=_(
            "The jury sees no team, member names or links to pages that show them, and "
            "attachments get neutral names. The solution's own links (code repository, demo, "
            "video) are shown as the team entered them and may name people."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("Scoring must close after it opens."))
        return data


class _NamedChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(getattr(obj, "name", None) or getattr(obj, "title", obj))


class RoundCreateForm(RoundForm):
    """A new round: for an event or a challenge, possibly after an earlier round."""

    event = _NamedChoice(
        label=_("Event"),
        queryset=Event.objects.order_by("-hacking_starts"),
        required=False,
        empty_label=_("(no event)"),
    )
    challenge = _NamedChoice(
        label=_("Challenge"),
        queryset=Challenge.objects.filter(status__in=PUBLIC_STATUSES).order_by("title"),
        required=False,
        empty_label=_("(no challenge)"),
        help_text=_("Choose an event or a year-round challenge, not both."),
    )
    previous_round = _NamedChoice(
        label=_("Previous round"),
        queryset=EvaluationRound.objects.order_by("-opens_at"),
        required=False,
        empty_label=_("(none: a first round)"),
        help_text=_("A next round evaluates the shortlist of the previous round."),
    )

    field_order = ["event", "challenge", "previous_round", "title"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if bool(data.get("event")) == bool(data.get("challenge")):
            self.add_error("event", _("Choose an event or a challenge (one of them)."))
        return data


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Criterion"), max_length=TITLE_MAX)
    guidance = forms.CharField(
        label=_("Guidance for the jury"),
        max_length=GUIDANCE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    weight = forms.DecimalField(
        label=_("Weight"),
        min_value=Decimal("0.01"),
        max_value=MAX_WEIGHT,
        decimal_places=2,
        max_digits=5,
        initial=Decimal("1"),
    )
    scale = forms.ChoiceField(label=_("Scale"), choices=Scale.choices, initial=Scale.ONE_TO_FIVE)


class JurorAddForm(forms.Form):
    account = forms.CharField(
        label=_("E-mail address or user name"),
        max_length=ACCOUNT_MAX,
        help_text=_("The person must already have an account."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class AssignmentAddForm(forms.Form):
    entry = forms.ChoiceField(label=_("Solution"))
    juror = forms.ChoiceField(label=_("Jury member"))

    def __init__(
        self,
        *args: Any,
        entries: Iterable[tuple[int, str]] = (),
        jurors: Iterable[tuple[int, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [(str(pk), label) for pk, label in entries]  # type: ignore[attr-defined]
        self.fields["juror"].choices = [(str(pk), label) for pk, label in jurors]  # type: ignore[attr-defined]


class ConflictForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"), choices=ConflictReason.choices, widget=RadioSelect
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        max_length=EXPLANATION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only the organizers read it. Required when the reason is “Another reason”."),
    )


class ScoreValueField(forms.ChoiceField):
    """Radio buttons for a scale; any whole number is passed on, so that the
    service names the criterion when a value is outside its scale."""

    def valid_value(self, value: Any) -> bool:
        text = str(value).strip()
        return text.lstrip("-").isdigit() and len(text) < 6


class ScoreForm(forms.Form):
    """One score (optional in a draft) and one justification per criterion."""

    def __init__(self, *args: Any, criteria: Iterable[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            low, high = SCALE_BOUNDS[criterion.scale]
            choices: list[tuple[str, Any]]
            if criterion.scale == Scale.YES_NO:
                choices = [("1", _("Yes")), ("0", _("No"))]
            else:
                choices = [(str(n), str(n)) for n in range(low, high + 1)]
            self.fields[f"value_{criterion.pk}"] = ScoreValueField(
                label=_("Score: %(criterion)s") % {"criterion": criterion.name},
                choices=choices,
                required=False,
                widget=RadioSelect(attrs={"class": "scale"}),
            )
            self.fields[f"justification_{criterion.pk}"] = forms.CharField(
                label=_("Justification: %(criterion)s") % {"criterion": criterion.name},
                max_length=JUSTIFICATION_MAX,
                required=False,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    def rows(self) -> list[tuple[Criterion, forms.BoundField, forms.BoundField]]:
        return [(c, self[f"value_{c.pk}"], self[f"justification_{c.pk}"]) for c in self.criteria]

    def values(self) -> dict[int, tuple[Any, str]]:
        return {
            c.pk: (
                self.cleaned_data.get(f"value_{c.pk}") or None,
                self.cleaned_data.get(f"justification_{c.pk}") or "",
            )
            for c in self.criteria
        }
