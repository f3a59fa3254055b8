"""Readable names for the addresses DCAT-AP uses as values: licences, access
rights and update frequencies. Unknown addresses are shown shortened, never
hidden. Pure functions."""

from __future__ import annotations

import re
from typing import Final

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

EU_LICENCE: Final = "http://publications.europa.eu/resource/authority/licence/"
EU_ACCESS_RIGHT: Final = "http://publications.europa.eu/resource/authority/access-right/"
EU_FREQUENCY: Final = "http://publications.europa.eu/resource/authority/frequency/"

# Licence code (EU vocabulary) -> name. Creative Commons addresses map to
# the same codes below.
LICENCES: Final[dict[str, str]] = {
    "CC0": "CC0 1.0",
    "CC_BY_4_0": "CC BY 4.0",
    "CC_BY_SA_4_0": "CC BY-SA 4.0",
    "CC_BY_NC_4_0": "CC BY-NC 4.0",
    "CC_BY_ND_4_0": "CC BY-ND 4.0",
    "CC_BY_NC_SA_4_0": "CC BY-NC-SA 4.0",
    "CC_BY_NC_ND_4_0": "CC BY-NC-ND 4.0",
    "CC_BY_3_0": "CC BY 3.0",
    "CC_BY_SA_3_0": "CC BY-SA 3.0",
    "CC_BY_2_5": "CC BY 2.5",
    "CC_PDM_1_0": "Public Domain Mark 1.0",
    "ODC_BY": "ODC-BY",
    "ODC_ODBL": "ODbL",
    "ODC_PDDL": "PDDL",
    "OGL_3_0": "Open Government Licence 3.0",
    "DL_BY_DE_2_0": "Datenlizenz Deutschland 2.0",
    "EUPL_1_2": "EUPL 1.2",
    "MIT": "MIT",
    "APACHE_2_0": "Apache 2.0",
    "GPL_3_0": "GPL 3.0",
    "NLOD_2_0": "NLOD 2.0",
    "IODL_2_0": "IODL 2.0",
    "ETALAB_2_0": "Licence Ouverte 2.0",
}
OPEN_LICENCES: Final = frozenset(
    {
        "CC0",
        "CC_BY_4_0",
        "CC_BY_SA_4_0",
        "CC_BY_3_0",
        "CC_BY_SA_3_0",
        "CC_BY_2_5",
        "CC_PDM_1_0",
        "ODC_BY",
        "ODC_ODBL",
        "ODC_PDDL",
        "OGL_3_0",
        "DL_BY_DE_2_0",
        "NLOD_2_0",
        "IODL_2_0",
        "ETALAB_2_0",
    }
)
_CC = re.compile(
    r"^https?://creativecommons\.org/(?:licenses/(?P<kind>[a-z-]+)/(?P<version>\d\.\d)"
    r"|publicdomain/(?P<pd>zero|mark)/(?P<pdversion>\d\.\d))",
    re.IGNORECASE,
)

ACCESS_RIGHTS: Final[dict[str, Promise]] = {
    "PUBLIC": _("Public"),
    "RESTRICTED": _("Restricted"),
    "NON_PUBLIC": _("Not public"),
    "CONFIDENTIAL": _("Confidential"),
    "SENSITIVE": _("Sensitive"),
    "NORMAL": _("Normal"),
    "OP_DATPRO": _("Provisional data"),
}

FREQUENCIES: Final[dict[str, Promise]] = {
    "CONT": _("Continuously"),
    "UPDATE_CONT": _("Continuously"),
    "1MIN": _("Every minute"),
    "5MIN": _("Every five minutes"),
    "10MIN": _("Every ten minutes"),
    "15MIN": _("Every fifteen minutes"),
    "30MIN": _("Every half hour"),
    "HOURLY": _("Every hour"),
    "DAILY": _("Every day"),
    "DAILY_2": _("Twice a day"),
    "WEEKLY": _("Every week"),
    "WEEKLY_2": _("Twice a week"),
    "BIWEEKLY": _("Every two weeks"),
    "MONTHLY": _("Every month"),
    "MONTHLY_2": _("Twice a month"),
    "BIMONTHLY": _("Every two months"),
    "QUARTERLY": _("Every quarter"),
    "ANNUAL": _("Every year"),
    "ANNUAL_2": _("Twice a year"),
    "BIENNIAL": _("Every two years"),
    "TRIENNIAL": _("Every three years"),
    "IRREG": _("Irregularly"),
    "NEVER": _("Never"),
    "NOT_PLANNED": _("No updates planned"),
    "AS_NEEDED": _("As needed"),
    "UNKNOWN": _("Unknown"),
    "OTHER": _("Other"),
}


def _code(uri: str, prefix: str) -> str:
    text = (uri or "").strip()
    if text.lower().startswith(("http://", "https://")):
        text = "http://" + text.split("://", 1)[1]
    if text.startswith(prefix):
        return text[len(prefix) :].strip("/").upper()
    return ""


def licence_code(uri: str) -> str:
    """The EU vocabulary code of a licence address ("CC_BY_4_0"), or ""."""
    code = _code(uri, EU_LICENCE)
    if code:
        return code
    match = _CC.match((uri or "").strip())
    if not match:
        return ""
    if match.group("pd"):
        return "CC0" if match.group("pd").lower() == "zero" else "CC_PDM_1_0"
    kind = match.group("kind").upper().replace("-", "_")
    return f"CC_{kind}_{match.group('version').replace('.', '_')}"


def _short(uri: str) -> str:
    """An unknown address, shortened to its last part."""
    text = (uri or "").strip().rstrip("/")
    tail = re.split(r"[/#]", text)[-1] if "/" in text or "#" in text else text
    return tail[:80] or text[:80]


def licence_label(uri: str) -> str:
    code = licence_code(uri)
    if code in LICENCES:
        return LICENCES[code]
    return _short(uri)


def is_open_licence(uri: str) -> bool:
    return licence_code(uri) in OPEN_LICENCES


def access_rights_label(uri: str) -> str:
    code = _code(uri, EU_ACCESS_RIGHT)
    if code in ACCESS_RIGHTS:
        return str(ACCESS_RIGHTS[code])
    return _short(uri)


def frequency_label(uri: str) -> str:
    code = _code(uri, EU_FREQUENCY)
    if code in FREQUENCIES:
        return str(FREQUENCIES[code])
    return _short(uri)
