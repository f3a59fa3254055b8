"""Forms: sign-up (allauth), profile, demographics with consent, deletion."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import ratelimit
from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from hack365.organizations.models import County

from .languages import language_choices
from .models import AgeBand, Gender, Sector, User
from .services import BIO_MAX, DISPLAY_NAME_MAX, profile_create
from .validators import MAX_SKILL_LENGTH, MAX_SKILLS, parse_skills, validate_skills


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form plus the name shown to others."""

    display_name = forms.CharField(
        label=_("Your name"),
        max_length=DISPLAY_NAME_MAX,
        help_text=_("Shown to others on the platform, for example with your questions."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    field_order = ["display_name", "email", "password1", "password2"]

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError(_("Please give a name to show to others."))
        return name

    def signup(self, request: HttpRequest, user: User) -> None:
        # Called by allauth once the user is saved, before the e-mail is set up.
        profile_create(user=user, display_name=self.cleaned_data["display_name"])


class SkillsField(forms.CharField):
    """Comma-separated text in, a list of skills out."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(str(item) for item in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        if self.max_length is not None and len(text) > self.max_length:
            raise forms.ValidationError(
                _("The list of skills is too long (at most %(max)d characters)."),
                code="max_length",
                params={"max": self.max_length},
            )
        return parse_skills(text)

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")

    def run_validators(self, value: Any) -> None:
        validate_skills(value)


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Your name"),
        max_length=DISPLAY_NAME_MAX,
        help_text=_("Shown to others on the platform."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    bio = forms.CharField(
        label=_("About me"),
        max_length=BIO_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("A few sentences on what you do and what you would like to work on."),
    )
    skills = SkillsField(
        label=_("Skills"),
        required=False,
        # Room for 30 skills of 50 characters with their commas; the field
        # then reports too many or too long skills precisely.
        max_length=MAX_SKILLS * (MAX_SKILL_LENGTH + 2) + 100,
        help_text=_(
            "Separate skills with commas, for example: data analysis, UX design, Python. "
            "At most 30 skills of at most 50 characters each."
        ),
    )
    sector = forms.ChoiceField(
        label=_("Sector"),
        required=False,
        choices=[("", _("Not stated")), *Sector.choices],
    )
    county = forms.ModelChoiceField(
        label=_("County"),
        queryset=County.objects.order_by("name"),
        required=False,
        empty_label=_("Not stated"),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages I work in"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=language_choices,
    )


class DemographicsForm(forms.Form):
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, widget=forms.RadioSelect)
    age_band = forms.ChoiceField(label=_("Age"), choices=AgeBand.choices, widget=forms.RadioSelect)
    consent = forms.BooleanField(
        label=_(
            "I consent to hack365 storing my gender and age band to produce anonymous "
            "statistics for reports."
        ),
        required=True,
        error_messages={
            "required": _(
                "Tick the consent box if you want us to store your answers. "
                "Without your consent nothing is stored."
            )
        },
    )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm_email = forms.CharField(
        label=_("Type your e-mail address to confirm"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, user: User, request: HttpRequest, **kwargs: Any) -> None:
        self.user = user
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        # The same limit as allauth's re-authentication: a stolen session
        # must not become a way to guess the password.
        if not ratelimit.consume(self.request, action="reauthenticate", user=self.user):
            raise forms.ValidationError(
                _("Too many attempts. Please wait a minute and try again."), code="rate_limited"
            )
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("The password is not correct."), code="incorrect_password"
            )
        return password

    def clean_confirm_email(self) -> str:
        typed: str = self.cleaned_data["confirm_email"].strip()
        if typed.casefold() != (self.user.email or "").casefold():
            raise forms.ValidationError(
                _("This is not the e-mail address of your account."), code="mismatch"
            )
        return typed
