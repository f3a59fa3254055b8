"""Forms for the public dataset pages and for linking datasets to challenges.
Harvesting forms (organizers) are in harvest_forms.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .search import FACETS
from .services import MAX_LINK_NOTE

SORTS = (("relevance", _("Best match")), ("modified", _("Last modified")))
FACET_LABELS = {
    "publisher": _("Publisher"),
    "theme": _("Theme"),
    "format": _("Format"),
    "license": _("Licence"),
    "access_rights": _("Access rights"),
}


class DatasetSearchForm(forms.Form):
    """The dataset search (GET). The facet filters are read from the query
    string as they come (``?theme=ENVI&theme=TRAN``) and cleaned by the search
    module; a bad value matches nothing, it is never an error."""

    q = forms.CharField(
        label=_("Search datasets"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORTS, required=False)

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(data, *args, **kwargs)
        self._raw = data

    def query(self) -> str:
        if self.is_bound and self.is_valid():
            return str(self.cleaned_data.get("q") or "")
        return ""

    def sort_order(self) -> str:
        if self.is_bound and self.is_valid():
            return str(self.cleaned_data.get("sort") or "relevance")
        return "relevance"

    def filters(self) -> dict[str, list[str]]:
        if not self._raw:
            return {}
        chosen = {}
        for facet in FACETS:
            values = [v for v in self._raw.getlist(facet) if isinstance(v, str) and v.strip()]
            if values:
                chosen[facet] = values
        return chosen


class DatasetPickerForm(forms.Form):
    """Search-as-you-type on a challenge's dataset page."""

    q = forms.CharField(
        label=_("Find a dataset to link"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_("Results appear as you type. Search words match every form of a word."),
    )


class LinkDatasetForm(forms.Form):
    dataset = forms.IntegerField(min_value=1, max_value=2**62, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Why it helps (optional)"),
        max_length=MAX_LINK_NOTE,
        required=False,
    )
