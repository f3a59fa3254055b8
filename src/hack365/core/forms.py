from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AccessibilityFeedback


class RadioSelect(forms.RadioSelect):
    """Radio buttons whose group answers to the first button's id, so that
    the error summary's link (``#<id_for_label>``) leads into the group.
    Django's own gives no id for the group (``id_for_label(id, None)`` is
    ""), and the link would go to "#". The class keeps Django's name so that
    the field template still recognises the widget (``widget_type``
    "radioselect") and puts the buttons in a fieldset with a legend."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return super().id_for_label(id_, "0" if index is None else index)


class AccessibilityFeedbackForm(forms.ModelForm[AccessibilityFeedback]):
    class Meta:
        model = AccessibilityFeedback
        fields = ["page_url", "message", "email"]
        widgets = {
            "message": forms.Textarea(attrs={"rows": 6}),
            "page_url": forms.TextInput(attrs={"autocomplete": "url"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        help_texts = {
            "page_url": _("The address of the page, or a description of where you were."),
            "email": _("Only if you want an answer. We use it for nothing else."),
        }
