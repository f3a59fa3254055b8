"""The shared form widgets."""

from __future__ import annotations

from django import forms

from hack365.core.forms import RadioSelect


class _Form(forms.Form):
    choice = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=RadioSelect)


def test_a_radio_group_answers_to_its_first_buttons_id() -> None:
    """Django's RadioSelect gives the group no id (the error summary's link
    would be "#"); ours leads to the first button, which exists."""
    bound = _Form(data={})["choice"]
    assert forms.RadioSelect().id_for_label("id_choice", None) == ""
    assert bound.id_for_label == "id_choice_0"
    assert 'id="id_choice_0"' in str(bound)
    assert RadioSelect().id_for_label("id_choice", "1") == "id_choice_1"
    # the field template still recognises the widget (a fieldset with a legend)
    assert bound.widget_type == "radioselect"
