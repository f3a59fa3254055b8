"""Forms for the organizers' harvesting pages. They only parse the input;
``services.harvest_source_create``/``_update`` and ``harvest_job_start``
check it (addresses, file sizes, schedules) and write, and their refusals
are shown on these forms' fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from hack365.organizations.models import Organization

from .models import HarvestSource, Schedule, SourceKind
from .services import MAX_ITEMS_LIMIT

SOURCE_FIELDS = ("name", "kind", "url", "schedule", "enabled", "organization")


def _max(field: str) -> int:
    return int(getattr(HarvestSource._meta.get_field(field), "max_length", 0) or 0)


class HarvestSourceForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=_max("name"),
        help_text=_("For example the publisher and the catalog, as organizers will recognise it."),
    )
    kind = forms.ChoiceField(label=_("Kind of source"), choices=SourceKind.choices)
    url = forms.CharField(
        label=_("Address"),
        max_length=_max("url"),
        required=False,
        widget=forms.URLInput(attrs={"autocomplete": "url", "spellcheck": "false"}),
        help_text=_(
            "The catalog's web address, starting with https:// or http://. "
            "Give either an address or a file."
        ),
    )
    file = forms.FileField(
        label=_("Or upload a file"),
        required=False,
        max_length=_max("file"),
    )
    schedule = forms.ChoiceField(
        label=_("Schedule"),
        choices=Schedule.choices,
        initial=Schedule.MANUAL,
        help_text=_("An uploaded file is only harvested when you start it by hand."),
    )
    enabled = forms.BooleanField(
        label=_("Enabled"),
        required=False,
        initial=True,
        help_text=_(
            "A source that is turned off is not harvested on its schedule or from the "
            "command line. Organizers can still start a harvest of it here."
        ),
    )
    organization = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("No organisation"),
        help_text=_("The organisation on the platform whose catalog this is, if any."),
    )

    def __init__(self, *args: Any, instance: HarvestSource | None = None, **kwargs: Any) -> None:
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": instance.name,
                "kind": instance.kind,
                "url": instance.url,
                "schedule": instance.schedule,
                "enabled": instance.enabled,
                "organization": instance.organization_id,
            }
        super().__init__(*args, **kwargs)
        organization = self.fields["organization"]
        assert isinstance(organization, forms.ModelChoiceField)
        organization.queryset = Organization.objects.order_by("name", "pk")
        limit = int(getattr(settings, "CATALOG_HARVEST_MAX_BYTES", 200 * 1024 * 1024))
        help_text = _(
            "A catalog file: Turtle, RDF/XML, JSON-LD, N-Triples, TriG or CKAN JSON, "
            "at most %(size)s."
        ) % {"size": filesizeformat(limit)}
        if instance is not None and instance.file:
            help_text = "{} {}".format(
                _("The current file is %(name)s. A new file replaces it.")
                % {"name": instance.file.name},
                help_text,
            )
        self.fields["file"].help_text = help_text

    def source_data(self) -> dict[str, Any]:
        """The cleaned values, as the services take them."""
        data = {name: self.cleaned_data[name] for name in SOURCE_FIELDS}
        data["file"] = self.cleaned_data.get("file") or None
        return data


class HarvestRunForm(forms.Form):
    dry_run = forms.BooleanField(
        label=_("Dry run: read and check the source without saving anything"), required=False
    )
    max_items = forms.IntegerField(
        label=_("At most this many datasets"),
        required=False,
        min_value=1,
        max_value=MAX_ITEMS_LIMIT,
        help_text=_("Leave empty to harvest everything. Useful to try a new source."),
    )


class RecordFilterForm(forms.Form):
    """The filter of a job's records (GET)."""

    failed = forms.BooleanField(label=_("Only failed records"), required=False)

    def failed_only(self) -> bool:
        return bool(self.is_bound and self.is_valid() and self.cleaned_data["failed"])
