"""Forms for mentors: the mentor list's filters, one's mentor profile, new
times, booking and cancelling. The forms parse; ``mentor_services`` checks
the rules and writes. Every text field has a maximum length."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from hack365.accounts.languages import language_choices
from hack365.challenges.forms import LocalDateTimeField
from hack365.organizations.models import Organization

from . import mentor_selectors as selectors
from .mentor_services import (
    BIO_MAX,
    MAX_SKILL_LENGTH,
    MAX_SKILLS,
    NOTE_MAX,
    ORGANISATION_NAME_MAX,
    PLACE_MAX,
    REASON_MAX,
    SLOT_MAX_MINUTES,
    SLOT_MIN_MINUTES,
    TOPIC_MAX,
    URL_MAX,
)
from .models import Team


class MentorFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    skill = forms.CharField(label=_("Skill"), required=False, max_length=MAX_SKILL_LENGTH)
    language = forms.ChoiceField(label=_("Language"), required=False)
    organisation = forms.CharField(label=_("Organisation"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["language"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Any language")), *language_choices()]

    def filters(self) -> selectors.MentorFilters:
        if not self.is_bound or not self.is_valid():
            return selectors.MentorFilters()
        data = self.cleaned_data
        return selectors.MentorFilters(
            q=" ".join(data["q"].split()),
            skill=data["skill"].strip(),
            language=data["language"],
            organisation=data["organisation"].strip(),
        )


class SkillListField(forms.CharField):
    """Comma-separated text in, a list of skills out (the service checks the limits)."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(str(item) for item in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [part for part in (" ".join(p.split()) for p in text.split(",")) if part]


class MentorProfileForm(forms.Form):
    skills = SkillListField(
        label=_("Skills"),
        max_length=MAX_SKILLS * (MAX_SKILL_LENGTH + 2) + 100,
        help_text=_(
            "What you can help teams with, separated by commas, for example: "
            "open data, service design, Python. At most 20 skills of at most 60 characters each."
        ),
    )
    organization = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organization.objects.order_by("name"),
        required=False,
        empty_label=_("Not listed / none"),
    )
    organisation_name = forms.CharField(
        label=_("Organisation (if not listed)"),
        max_length=ORGANISATION_NAME_MAX,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages I can mentor in"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=language_choices,
    )
    bio = forms.CharField(
        label=_("Short bio"),
        max_length=BIO_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Who you are and how you can help. Markdown is allowed."),
    )
    is_active = forms.BooleanField(
        label=_("Show me in the mentor list and let teams book my times"),
        required=False,
        initial=True,
    )


class SlotForm(forms.Form):
    starts_at = LocalDateTimeField(label=_("Starts"), help_text=_("Swedish time."))
    duration_minutes = forms.IntegerField(
        label=_("Length (minutes)"),
        min_value=SLOT_MIN_MINUTES,
        max_value=SLOT_MAX_MINUTES,
        initial=30,
    )
    # A text field, not a URL field: the service tells a javascript: or ftp:
    # link apart from a typo, with its own message.
    online_url = forms.CharField(
        label=_("Online meeting link"),
        max_length=URL_MAX,
        required=False,
        widget=forms.URLInput(),
        help_text=_("An https:// address. Give a link, a place or both."),
    )
    place = forms.CharField(label=_("Place"), max_length=PLACE_MAX, required=False)
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX, required=False)


class BookForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Book for the team"), queryset=Team.objects.none())
    topic = forms.CharField(
        label=_("What does the team want help with?"),
        max_length=TOPIC_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["team"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = selectors.user_teams(user)
        field.error_messages["invalid_choice"] = _("Choose one of your own teams.")


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
