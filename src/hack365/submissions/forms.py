"""Forms for the solution pages. They check the input's shape; the services
check the rules (and check URLs and sizes again)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import licences, services
from .files import ALLOWED_EXTENSIONS, MAX_SIZE, allowed_types_text
from .models import (
    OTHER_DATA_MAX,
    PROBLEM_MAX,
    SUMMARY_MAX,
    TARGET_GROUP_MAX,
    TITLE_MAX,
    URL_MAX,
)

_DATASET_REF = re.compile(r"(?:/datasets/)?(\d{1,18})/?$")


class DatasetIdsField(forms.MultipleChoiceField):
    """Checkboxes of datasets; any catalog dataset number is accepted (the
    service checks that it exists), not only those offered as boxes."""

    widget = forms.CheckboxSelectMultiple

    def valid_value(self, value: Any) -> bool:
        return str(value).isdigit() and 0 < len(str(value)) < 19


class SolutionCreateForm(forms.Form):
    title = forms.CharField(
        label=_("Title of the solution"),
        max_length=TITLE_MAX,
        required=False,
        help_text=_("You can change it later. Empty: a title with the team's name."),
    )


class SolutionForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=SUMMARY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A few sentences for the gallery: what the solution does, for whom."),
    )
    problem = forms.CharField(
        label=_("The problem it solves"),
        max_length=PROBLEM_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Markdown: **bold**, *italics*, lists, links."),
    )
    target_group = forms.CharField(
        label=_("Target group"), max_length=TARGET_GROUP_MAX, required=False
    )
    datasets = DatasetIdsField(
        label=_("Datasets used from the catalog"),
        required=False,
        help_text=_("The datasets linked to the challenge, and those the solution already uses."),
    )
    add_datasets = forms.CharField(
        label=_("Add other datasets from the catalog"),
        max_length=1000,
        required=False,
        help_text=_(
            "The dataset's number or the address of its page (…/datasets/123/); "
            "several separated by commas."
        ),
    )
    other_data = forms.CharField(
        label=_("Other data (not in the catalog)"),
        max_length=OTHER_DATA_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    repository_url = forms.CharField(
        label=_("Code repository"),
        max_length=URL_MAX,
        required=False,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    demo_url = forms.CharField(
        label=_("Demo"),
        max_length=URL_MAX,
        required=False,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    video_url = forms.CharField(
        label=_("Video"),
        max_length=URL_MAX,
        required=False,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    licence = forms.ChoiceField(
        label=_("Licence"),
        required=False,
        help_text=_("Open licences let the public sector reuse and develop the solution."),
    )

    def __init__(
        self, *args: Any, dataset_choices: Sequence[tuple[str, str]] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["datasets"]).choices = list(dataset_choices)
        cast(forms.ChoiceField, self.fields["licence"]).choices = licences.licence_choices()

    def _clean_url(self, name: str) -> str:
        try:
            return services.clean_url(self.cleaned_data.get(name), field=name)
        except ValidationError as error:
            raise ValidationError(error.message_dict[name]) from None

    def clean_repository_url(self) -> str:
        return self._clean_url("repository_url")

    def clean_demo_url(self) -> str:
        return self._clean_url("demo_url")

    def clean_video_url(self) -> str:
        return self._clean_url("video_url")

    def clean_add_datasets(self) -> list[int]:
        raw = self.cleaned_data.get("add_datasets") or ""
        ids: list[int] = []
        for token in re.split(r"[,\s]+", raw.strip()):
            if not token:
                continue
            match = _DATASET_REF.search(token)
            if match is None:
                raise ValidationError(
                    _("“%(value)s” is not a dataset number or a dataset's address.")
                    % {"value": token[:80]}
                )
            ids.append(int(match.group(1)))
        return ids

    def dataset_ids(self) -> list[int]:
        chosen = [int(v) for v in self.cleaned_data.get("datasets") or []]
        return chosen + [
            pk for pk in self.cleaned_data.get("add_datasets") or [] if pk not in chosen
        ]

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "expected_version": data["version"],
            "title": data["title"],
            "summary": data.get("summary", ""),
            "problem": data.get("problem", ""),
            "target_group": data.get("target_group", ""),
            "dataset_ids": self.dataset_ids(),
            "other_data": data.get("other_data", ""),
            "repository_url": data.get("repository_url", ""),
            "demo_url": data.get("demo_url", ""),
            "video_url": data.get("video_url", ""),
            "licence": data.get("licence", ""),
        }


class DatasetFinderForm(forms.Form):
    dq = forms.CharField(
        label=_("Find a dataset in the catalog"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        max_length=500,
        help_text=_("At most %(max)d MB. Allowed types: %(types)s.")
        % {"max": MAX_SIZE // (1024 * 1024), "types": allowed_types_text()},
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{ext}" for ext in ALLOWED_EXTENSIONS)}
        ),
    )
    is_confidential = forms.BooleanField(
        label=_(
            "Confidential (only the team, the need owners, the jury and the organizers see it)"
        ),
        required=False,
    )


class GalleryForm(forms.Form):
    q = forms.CharField(
        label=_("Search solutions"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    event = forms.ChoiceField(label=_("Event"), required=False)
    challenge = forms.ChoiceField(label=_("Challenge"), required=False)
    dataset = forms.IntegerField(
        label=_("Reuses dataset number"), required=False, min_value=1, max_value=2**62
    )
    licence = forms.ChoiceField(label=_("Licence"), required=False)

    def __init__(
        self,
        *args: Any,
        events: Sequence[tuple[str, str]] = (),
        challenges: Sequence[tuple[str, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["event"]).choices = [("", _("All events")), *events]
        cast(forms.ChoiceField, self.fields["challenge"]).choices = [
            ("", _("All challenges")),
            *challenges,
        ]
        cast(forms.ChoiceField, self.fields["licence"]).choices = [
            ("", _("All licences")),
            *[(code, name) for code, name in licences.OPEN_LICENCES + licences.OTHER_LICENCES],
            (licences.NOASSERTION, _("Other or not decided")),
        ]

    def filters(self) -> dict[str, Any]:
        """The valid filters (an invalid one is left out, never an error)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v}
