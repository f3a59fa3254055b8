"""Forms for challenges, questions, reviews, events and the challenge filters.

The forms only parse and validate input; the services in ``services.py``
write. Every text field has a maximum length."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hack365.core.models import DataTheme
from hack365.organizations.models import County, Level, Organization

from .models import PUBLIC_STATUSES, Challenge, ChallengeStatus, Event, EventKind
from .rules import Viewer, viewer_for
from .selectors import YEAR_ROUND, events_for_choice
from .services import (
    ANSWER_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    QUESTION_MAX_LENGTH,
    REASON_MAX_LENGTH,
    event_date_errors,
)

DATETIME_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def _max(model: Any, field: str) -> int:
    return int(model._meta.get_field(field).max_length)


class DateTimeLocalInput(forms.DateTimeInput):
    """``<input type="datetime-local">``, shown and read in Europe/Stockholm
    (the active time zone)."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=DATETIME_LOCAL_FORMAT)


#: The years a date and time entered in a form may have. Far earlier or
#: later ones (0001-01-01, 9999-12-31) cannot be converted to UTC or moved by
#: a few months without an OverflowError; no event or round is planned there.
EARLIEST_YEAR = 2000
LATEST_YEAR = 2100


class LocalDateTimeField(forms.DateTimeField):
    """A date and time in Swedish time, in the years ``EARLIEST_YEAR`` to
    ``LATEST_YEAR``: another year is an error on the field, not a crash on
    save."""

    widget = DateTimeLocalInput
    default_error_messages = {
        "year": _("Please give a date in the years %(earliest)d to %(latest)d."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", [DATETIME_LOCAL_FORMAT, "%Y-%m-%d %H:%M"])
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.setdefault("min", f"{EARLIEST_YEAR}-01-01T00:00")
        attrs.setdefault("max", f"{LATEST_YEAR}-12-31T23:59")
        return attrs

    def to_python(self, value: Any) -> Any:
        out_of_range = forms.ValidationError(
            self.error_messages["year"],
            code="year",
            params={"earliest": EARLIEST_YEAR, "latest": LATEST_YEAR},
        )
        try:
            result = super().to_python(value)
        except OverflowError:  # a year the time zone cannot handle
            raise out_of_range from None
        if result is not None and not EARLIEST_YEAR <= result.year <= LATEST_YEAR:
            raise out_of_range
        return result


class ThemeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


# A database integer (SQLite's INTEGER, PostgreSQL's bigint) is 64 bits.
DB_INT_RANGE = range(-(2**63), 2**63)


class OrganizationsChoiceField(forms.ModelMultipleChoiceField):
    """Organisations chosen by id. Django looks the ids up with ``pk__in``,
    which crashes on SQLite for a number beyond 64 bits; such an id is an
    invalid choice like any other unknown one."""

    def clean(self, value: Any) -> Any:
        for pk in value if isinstance(value, list | tuple) else ():
            text = str(pk).strip()
            digits = text.removeprefix("-")
            if (
                digits.isascii()
                and digits.isdigit()
                and (len(digits) > 19 or int(text) not in DB_INT_RANGE)
            ):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super().clean(value)


class ChallengeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=_max(Challenge, "title"))
    summary = forms.CharField(
        label=_("Short summary"),
        max_length=_max(Challenge, "summary"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two sentences, shown on the challenge cards."),
    )
    problem = forms.CharField(
        label=_("Problem"),
        max_length=_max(Challenge, "problem"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("What is the problem, for whom, and why does it matter? You can use Markdown."),
    )
    expected_benefit = forms.CharField(
        label=_("Expected societal benefit"),
        max_length=_max(Challenge, "expected_benefit"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What would be better if the challenge were solved? You can use Markdown."),
    )
    target_group = forms.CharField(
        label=_("Target group"),
        max_length=_max(Challenge, "target_group"),
        help_text=_("Who would benefit, for example pupils, patients or small businesses."),
    )
    themes = ThemeChoiceField(
        label=_("Themes"),
        queryset=DataTheme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose at least one before you submit the challenge for review."),
    )
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    owner = forms.ModelChoiceField(
        label=_("Need owner organisation"),
        queryset=Organization.objects.none(),
        empty_label=None,
    )
    co_owners = OrganizationsChoiceField(
        label=_("Co-owners"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Other organisations that own the challenge together with yours."),
    )
    event = forms.ModelChoiceField(
        label=_("Event"),
        queryset=Event.objects.none(),
        required=False,
        empty_label=_("Year-round (no event)"),
        help_text=_("Leave as year-round unless the challenge belongs to an event."),
    )
    deadline = LocalDateTimeField(
        label=_("Deadline"),
        required=False,
        help_text=_(
            "Only for year-round challenges: the last time to submit solutions, if there is one."
        ),
    )
    max_team_size = forms.IntegerField(
        label=_("Maximum team size"),
        min_value=1,
        max_value=50,
        required=False,
        help_text=_("Leave empty to use the event's limit (or the platform's default)."),
    )

    def __init__(
        self, *args: Any, user: Any, instance: Challenge | None = None, **kwargs: Any
    ) -> None:
        self.instance = instance
        self.viewer: Viewer = viewer_for(user)
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": instance.title,
                "summary": instance.summary,
                "problem": instance.problem,
                "expected_benefit": instance.expected_benefit,
                "target_group": instance.target_group,
                "themes": [t.pk for t in instance.themes.all()],
                "level": instance.level,
                "owner": instance.owner_id,
                "co_owners": [o.pk for o in instance.co_owners.all()],
                "event": instance.event_id,
                "deadline": instance.deadline,
                "max_team_size": instance.max_team_size,
            }
        super().__init__(*args, **kwargs)
        owners: QuerySet[Organization]
        if self.viewer.organizer:
            owners = Organization.objects.all()
        else:
            owner_filter = Q(pk__in=self.viewer.need_owner_org_ids)
            if instance is not None:
                owner_filter |= Q(pk=instance.owner_id)
            owners = Organization.objects.filter(owner_filter)
        owner_field = self.fields["owner"]
        assert isinstance(owner_field, forms.ModelChoiceField)
        owner_field.queryset = owners.order_by("name")
        if instance is None and not self.is_bound and not self.viewer.organizer:
            # Start from the user's own organisation and its level.
            first = owner_field.queryset.first()
            if first is not None:
                self.initial.setdefault("owner", first.pk)
                self.initial.setdefault("level", first.level)
        if (
            instance is not None
            and not self.viewer.organizer
            and instance.owner_id not in self.viewer.need_owner_org_ids
        ):
            owner_field.disabled = True
            owner_field.help_text = _("Only the owner organisation can change this.")
        co_field = self.fields["co_owners"]
        assert isinstance(co_field, forms.ModelMultipleChoiceField)
        co_field.queryset = Organization.objects.order_by("name")
        events = events_for_choice()
        if instance is not None and instance.event_id is not None:
            events = Event.objects.filter(
                Q(pk__in=events.values("pk")) | Q(pk=instance.event_id)
            ).order_by("hacking_starts", "pk")
        event_field = self.fields["event"]
        assert isinstance(event_field, forms.ModelChoiceField)
        event_field.queryset = events

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        owner = data.get("owner")
        co_owners = data.get("co_owners") or []
        if owner is not None and any(org.pk == owner.pk for org in co_owners):
            self.add_error(
                "co_owners", _("The owner organisation can't also be one of the co-owners.")
            )
        deadline = data.get("deadline")
        if data.get("event") is not None and deadline is not None:
            self.add_error(
                "deadline",
                _(
                    "A challenge in an event uses the event's submission deadline; "
                    "leave the deadline empty."
                ),
            )
        elif (
            deadline is not None and "deadline" in self.changed_data and deadline <= timezone.now()
        ):
            self.add_error("deadline", _("The deadline must be in the future."))
        return data


class RequestChangesForm(forms.Form):
    comment = forms.CharField(
        label=_("What needs to change?"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The need owners see this comment on the challenge page."),
    )


class QuestionForm(forms.Form):
    body = forms.CharField(
        label=_("Your question"),
        max_length=QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Questions and answers are public. The need owner answers here."),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"),
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Your answer is public. You can use Markdown."),
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for hiding"),
        max_length=REASON_MAX_LENGTH,
        help_text=_("Kept in the audit log and shown to organizers."),
    )


class UnhideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for showing again"),
        max_length=REASON_MAX_LENGTH,
        required=False,
    )


class EventForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=_max(Event, "name"))
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    description = forms.CharField(
        label=_("Description"),
        max_length=_max(Event, "description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("You can use Markdown."),
    )
    location = forms.CharField(
        label=_("Place"),
        max_length=_max(Event, "location"),
        required=False,
        help_text=_("A town, a venue, or “online”."),
    )
    registration_opens = LocalDateTimeField(label=_("Registration opens"))
    hacking_starts = LocalDateTimeField(label=_("Hacking starts"))
    submission_deadline = LocalDateTimeField(label=_("Submission deadline"))
    evaluation_ends = LocalDateTimeField(label=_("Evaluation ends"))
    results_at = LocalDateTimeField(label=_("Results published"))
    max_team_size = forms.IntegerField(
        label=_("Maximum team size"), min_value=1, max_value=50, initial=6
    )

    def __init__(self, *args: Any, instance: Event | None = None, **kwargs: Any) -> None:
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(instance, name)
                for name in (
                    "name",
                    "kind",
                    "description",
                    "location",
                    "registration_opens",
                    "hacking_starts",
                    "submission_deadline",
                    "evaluation_ends",
                    "results_at",
                    "max_team_size",
                )
            }
        super().__init__(*args, **kwargs)
        for name in (
            "registration_opens",
            "hacking_starts",
            "submission_deadline",
            "evaluation_ends",
            "results_at",
        ):
            self.fields[name].help_text = _("Swedish time (Europe/Stockholm).")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for field, message in event_date_errors(data).items():
            if field not in self.errors:
                self.add_error(field, message)
        return data


class ChallengeFilterForm(forms.Form):
    """The filters of the challenge list (GET). Every field is optional; a bad
    value is reported on its field and otherwise ignored."""

    q = forms.CharField(
        label=_("Search"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    theme = forms.MultipleChoiceField(
        label=_("Themes"), required=False, widget=forms.CheckboxSelectMultiple
    )
    level = forms.ChoiceField(label=_("Level"), required=False)
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    county = forms.ChoiceField(label=_("County"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    event = forms.ChoiceField(label=_("Event"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        public = Challenge.objects.filter(status__in=PUBLIC_STATUSES)
        co_owned = Challenge.co_owners.through.objects.filter(
            organization_id=OuterRef("pk"), challenge__status__in=PUBLIC_STATUSES
        )
        organisations = (
            Organization.objects.filter(
                Exists(public.filter(owner_id=OuterRef("pk"))) | Exists(co_owned)
            )
            .order_by("name")
            .values_list("slug", "name")
        )
        self._set_choices("theme", [(t.code, t.name) for t in DataTheme.objects.all()], None)
        self._set_choices("level", list(Level.choices), _("All levels"))
        self._set_choices("organisation", list(organisations), _("All organisations"))
        self._set_choices(
            "county",
            list(County.objects.order_by("name").values_list("code", "name")),
            _("All counties"),
        )
        self._set_choices(
            "status",
            [
                (ChallengeStatus.PUBLISHED.value, ChallengeStatus.PUBLISHED.label),
                (ChallengeStatus.CLOSED.value, ChallengeStatus.CLOSED.label),
                (ChallengeStatus.ARCHIVED.value, ChallengeStatus.ARCHIVED.label),
            ],
            _("Open, closed and archived"),
        )
        events = [(e.slug, e.name) for e in Event.objects.order_by("-hacking_starts", "pk")]
        self._set_choices(
            "event", [(YEAR_ROUND, _("Year-round (no event)")), *events], _("All events")
        )

    def _set_choices(self, name: str, choices: list[Any], empty: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = ([("", empty)] if empty is not None else []) + choices

    def filters(self) -> dict[str, Any]:
        """The valid filters (invalid ones are left out)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", [])}

    @property
    def active(self) -> bool:
        return bool(self.filters())
