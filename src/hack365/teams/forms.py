"""Forms for teams; they parse and validate, the services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hack365.accounts.models import Sector
from hack365.challenges.models import Challenge, ChallengeStatus, Event
from hack365.organizations.models import County

from . import services


def _open_challenges() -> Any:
    return Challenge.objects.filter(status=ChallengeStatus.PUBLISHED).order_by("title", "pk")


def _team_events() -> Any:
    return Event.objects.filter(results_at__gt=timezone.now()).order_by("hacking_starts", "pk")


class ChallengeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.title)


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=services.NAME_MAX_LENGTH)
    challenge = ChallengeChoiceField(
        label=_("Challenge"),
        queryset=Challenge.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=_("No challenge yet (a team for an event)"),
    )
    event = forms.ModelChoiceField(
        label=_("Event"),
        queryset=Event.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=_("None"),
        help_text=_("Only for a team that has not chosen a challenge yet."),
    )
    description = forms.CharField(
        label=_("About the team"),
        max_length=services.DESCRIPTION_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you want to build, and who you are. You can use Markdown."),
    )
    looking_for_members = forms.BooleanField(
        label=_("We are looking for members"), required=False, initial=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["challenge"].queryset = _open_challenges()  # type: ignore[attr-defined]
        self.fields["event"].queryset = _team_events()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("challenge") and not data.get("event") and not self.errors:
            self.add_error("challenge", _("Choose a challenge or an event for the team."))
        return data


class TeamEditForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=services.NAME_MAX_LENGTH)
    description = forms.CharField(
        label=_("About the team"),
        max_length=services.DESCRIPTION_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("You can use Markdown."),
    )
    looking_for_members = forms.BooleanField(label=_("We are looking for members"), required=False)


class InviteForm(forms.Form):
    invitee = forms.CharField(
        label=_("E-mail address or user name"),
        max_length=services.INVITEE_MAX_LENGTH,
        help_text=_("We send the person an e-mail with a link to the invitation."),
    )
    message = forms.CharField(
        label=_("Message (optional)"),
        max_length=services.MESSAGE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class JoinForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the team (optional)"),
        max_length=services.MESSAGE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you can contribute, for example."),
    )


class TransferLeadForm(forms.Form):
    member = forms.TypedChoiceField(label=_("New team lead"), coerce=int, choices=())

    def __init__(self, *args: Any, memberships: Any = (), **kwargs: Any) -> None:
        from .rules import public_name

        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [  # type: ignore[attr-defined]
            (m.pk, public_name(m.user)) for m in memberships
        ]


class PostingForm(forms.Form):
    title = forms.CharField(
        label=_("Role"),
        max_length=services.POSTING_TITLE_MAX_LENGTH,
        help_text=_("For example “data scientist”, “designer” or “domain expert”."),
    )
    skills = forms.CharField(
        label=_("Skills"),
        max_length=services.SKILLS_MAX * (services.SKILL_MAX_LENGTH + 2),
        required=False,
        help_text=_("Separated by commas."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=services.POSTING_DESCRIPTION_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SeekerForm(forms.Form):
    challenge = ChallengeChoiceField(
        label=_("Challenge"),
        queryset=Challenge.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=_("Any challenge"),
    )
    event = forms.ModelChoiceField(
        label=_("Event"),
        queryset=Event.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=_("Any event"),
        help_text=_("Leave empty if you chose a challenge."),
    )
    note = forms.CharField(
        label=_("About me"),
        max_length=services.NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What you can do and what you are looking for. Your skills come from your profile."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["challenge"].queryset = _open_challenges()  # type: ignore[attr-defined]
        self.fields["event"].queryset = _team_events()  # type: ignore[attr-defined]


class MatchmakingFilterForm(forms.Form):
    """The matchmaking filters (GET); bad values are reported and ignored."""

    q = forms.CharField(
        label=_("Search"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    skill = forms.CharField(label=_("Skill"), max_length=services.SKILL_MAX_LENGTH, required=False)
    challenge = forms.ChoiceField(label=_("Challenge"), required=False)
    event = forms.ChoiceField(label=_("Event"), required=False)
    county = forms.ChoiceField(label=_("County"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        challenges = _open_challenges().values_list("slug", "title")
        events = (
            Event.objects.filter(
                Q(teams__isnull=False) | Q(challenges__status=ChallengeStatus.PUBLISHED)
            )
            .distinct()
            .order_by("-hacking_starts", "pk")
            .values_list("slug", "name")
        )
        self._choices("challenge", list(challenges), _("All challenges"))
        self._choices("event", list(events), _("All events"))
        self._choices(
            "county",
            list(County.objects.order_by("name").values_list("code", "name")),
            _("All counties"),
        )
        self._choices("sector", list(Sector.choices), _("All sectors"))

    def _choices(self, name: str, choices: list[Any], empty: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", empty), *choices]

    def filters(self) -> dict[str, Any]:
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", [])}
