"""Languages a participant can say they work in (profile), with names in the
reader's language. Codes are ISO 639-1 where one exists, else ISO 639-3.
Sweden's national minority languages and Swedish Sign Language are included."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

# The names have a context of their own, so that other catalogues ("Swedish"
# in the language menu, Django's own) never decide how they are written here.
PROFILE_LANGUAGES: dict[str, Promise] = {
    "sv": pgettext_lazy("language name", "Swedish"),
    "en": pgettext_lazy("language name", "English"),
    "swl": pgettext_lazy("language name", "Swedish Sign Language"),
    "fi": pgettext_lazy("language name", "Finnish"),
    "se": pgettext_lazy("language name", "Northern Sami"),
    "smj": pgettext_lazy("language name", "Lule Sami"),
    "sma": pgettext_lazy("language name", "Southern Sami"),
    "fit": pgettext_lazy("language name", "Meänkieli"),
    "rom": pgettext_lazy("language name", "Romani"),
    "yi": pgettext_lazy("language name", "Yiddish"),
    "ar": pgettext_lazy("language name", "Arabic"),
    "so": pgettext_lazy("language name", "Somali"),
    "fa": pgettext_lazy("language name", "Persian"),
    "ti": pgettext_lazy("language name", "Tigrinya"),
    "ku": pgettext_lazy("language name", "Kurdish"),
    "tr": pgettext_lazy("language name", "Turkish"),
    "bs": pgettext_lazy("language name", "Bosnian"),
    "hr": pgettext_lazy("language name", "Croatian"),
    "sr": pgettext_lazy("language name", "Serbian"),
    "pl": pgettext_lazy("language name", "Polish"),
    "ru": pgettext_lazy("language name", "Russian"),
    "uk": pgettext_lazy("language name", "Ukrainian"),
    "es": pgettext_lazy("language name", "Spanish"),
    "pt": pgettext_lazy("language name", "Portuguese"),
    "de": pgettext_lazy("language name", "German"),
    "fr": pgettext_lazy("language name", "French"),
    "it": pgettext_lazy("language name", "Italian"),
    "da": pgettext_lazy("language name", "Danish"),
    "no": pgettext_lazy("language name", "Norwegian"),
    "zh": pgettext_lazy("language name", "Chinese"),
}


def language_choices() -> list[tuple[str, str]]:
    """(code, name) pairs sorted by the name in the active language."""
    return sorted(
        ((code, str(name)) for code, name in PROFILE_LANGUAGES.items()),
        key=lambda pair: pair[1].casefold(),
    )


def language_name(code: str) -> str:
    name = PROFILE_LANGUAGES.get(code)
    return str(name) if name is not None else code
