from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AccessibilityFeedback


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
