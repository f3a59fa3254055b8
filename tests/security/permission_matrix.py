"""Who may do what, for every URL pattern: one table, read by
test_permission_matrix.py (every row is run) and by test_url_walker.py (the
pages an anonymous visitor is sent to log in for).

Columns: the pattern's key (its name, or ``route:<the route>`` for an
unnamed one), with the sample object in brackets when it matters (a challenge
status; ``[hidden]`` for a hidden question, ``[on_draft]`` for one on a draft
challenge; ``[other]`` for another organisation's; without brackets, the
default sample of tests/security/world.py); the method; then the expected
answer for each role:

    anon   anonymous visitor
    part   participant (an account, no memberships)
    own    need owner of the sample challenge's organisation
    other  need owner of another organisation
    pub    publisher of the sample challenge's organisation
    org    organizer (staff)

Answers:

    200 403 404 405   that status
    login             302 to /<lang>/accounts/login/?next=<the page>
    302               302 somewhere else
    ...*              and the audit log grew: the request changed something.
                      Without a star the audit log must stay as it was, and a
                      refusal (login, 403, 404, 405) must change no table at all.

POSTs send the minimal valid data in POST_DATA, so that 200 or 302 means the
permission checks let the request through. Every request runs in a savepoint
that is rolled back, so rows do not affect each other.

A new URL pattern needs rows here; the tests fail until it has them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone

from .world import PASSWORD, ROLES, World

MATRIX_TEXT = """
# pattern[on]                         method anon   part   own    other  pub    org
set_language                          GET    302    302    302    302    302    302
set_language                          POST   302    302    302    302    302    302
home                                  GET    200    200    200    200    200    200
home                                  POST   200    200    200    200    200    200
core:accessibility                    GET    200    200    200    200    200    200
core:accessibility                    POST   302*   302*   302*   302*   302*   302*

# challenges: public pages
challenges:list                       GET    200    200    200    200    200    200
challenges:list                       POST   200    200    200    200    200    200
challenges:detail[published]          GET    200    200    200    200    200    200
challenges:detail[closed]             GET    200    200    200    200    200    200
challenges:detail[archived]           GET    200    200    200    200    200    200
challenges:detail[draft]              GET    404    404    200    404    404    200
challenges:detail[in_review]          GET    404    404    200    404    404    200
challenges:detail[changes_requested]  GET    404    404    200    404    404    200
challenges:detail[published]          POST   200    200    200    200    200    200
challenges:detail[draft]              POST   404    404    200    404    404    200

# challenges: writing (need owners of the owner organisation, organizers)
challenges:create                     GET    login  403    200    200    403    200
challenges:create                     POST   login  403    302*   200    403    302*
challenges:edit[draft]                GET    login  404    200    404    404    200
challenges:edit[draft]                POST   login  404    302*   404    404    302*
challenges:edit[changes_requested]    POST   login  404    302*   404    404    302*
challenges:edit[in_review]            GET    login  404    403    404    404    200
challenges:edit[in_review]            POST   login  404    403    404    404    302*
challenges:edit[published]            GET    login  403    403    403    403    200
challenges:edit[published]            POST   login  403    403    403    403    302*
challenges:edit[closed]               POST   login  403    403    403    403    403
challenges:submit[draft]              GET    login  405    405    405    405    405
challenges:submit[draft]              POST   login  404    302*   404    404    302*
challenges:submit[published]          POST   login  403    302    403    403    302
challenges:publish[in_review]         GET    login  405    405    405    405    405
challenges:publish[in_review]         POST   login  404    403    404    404    302*
challenges:publish[draft]             POST   login  404    403    404    404    302
challenges:close[published]           GET    login  405    405    405    405    405
challenges:close[published]           POST   login  403    302*   403    403    302*
challenges:close[draft]               POST   login  404    302    404    404    302
challenges:archive[closed]            GET    login  405    405    405    405    405
challenges:archive[closed]            POST   login  403    403    403    403    302*
challenges:archive[published]         POST   login  403    403    403    403    302
challenges:request_changes[in_review] GET    login  404    403    404    404    200
challenges:request_changes[in_review] POST   login  404    403    404    404    302*
challenges:request_changes[draft]     GET    login  404    403    404    404    302
challenges:mine                       GET    login  200    200    200    200    200
challenges:mine                       POST   login  200    200    200    200    200
challenges:review_queue               GET    login  403    403    403    403    200
challenges:review_queue               POST   login  403    403    403    403    200

# questions
challenges:ask[published]             GET    login  405    405    405    405    405
challenges:ask[published]             POST   login  302*   302*   302*   302*   302*
challenges:ask[closed]                POST   login  302    302    302    302    302
challenges:ask[draft]                 POST   login  404    302    404    404    302
challenges:answer[visible]            GET    login  403    200    403    403    200
challenges:answer[visible]            POST   login  403    302*   403    403    302*
challenges:answer[hidden]             GET    login  404    404    404    404    200
challenges:answer[hidden]             POST   login  404    404    404    404    302*
challenges:answer[on_draft]           GET    login  404    200    404    404    200
challenges:answer[on_draft]           POST   login  404    302*   404    404    302*
challenges:hide_question[visible]     GET    login  405    405    405    405    405
challenges:hide_question[visible]     POST   login  403    403    403    403    302*
challenges:hide_question[hidden]      POST   login  404    404    404    404    302
challenges:hide_question[on_draft]    POST   login  404    403    404    404    302*
challenges:unhide_question[hidden]    GET    login  405    405    405    405    405
challenges:unhide_question[hidden]    POST   login  404    404    404    404    302*
challenges:unhide_question[visible]   POST   login  403    403    403    403    302

# events
challenges:event_list                 GET    200    200    200    200    200    200
challenges:event_list                 POST   200    200    200    200    200    200
challenges:event_detail               GET    200    200    200    200    200    200
challenges:event_detail               POST   200    200    200    200    200    200
challenges:event_create               GET    login  403    403    403    403    200
challenges:event_create               POST   login  403    403    403    403    302*
challenges:event_edit                 GET    login  403    403    403    403    200
challenges:event_edit                 POST   login  403    403    403    403    302*

# catalog: datasets (public) and linking them to challenges (need owners, organizers)
catalog:dataset_list                  GET    200    200    200    200    200    200
catalog:dataset_list                  POST   405    405    405    405    405    405
catalog:dataset_detail                GET    200    200    200    200    200    200
catalog:dataset_detail[withdrawn]     GET    200    200    200    200    200    200
catalog:dataset_detail                POST   405    405    405    405    405    405
catalog:challenge_datasets[published] GET    login  403    200    403    403    200
catalog:challenge_datasets[draft]     GET    login  404    200    404    404    200
catalog:challenge_datasets[archived]  GET    login  403    200    403    403    200
catalog:challenge_datasets[published] POST   login  405    405    405    405    405
catalog:challenge_dataset_link[published] GET login 405    405    405    405    405
catalog:challenge_dataset_link[published] POST login 403   302*   403    403    302*
catalog:challenge_dataset_link[draft] POST   login  404    302*   404    404    302*
catalog:challenge_dataset_link[archived] POST login 403    302    403    403    302
catalog:challenge_dataset_unlink[published] GET login 405  405    405    405    405
catalog:challenge_dataset_unlink[published] POST login 403 302*   403    403    302*
catalog:challenge_dataset_unlink[draft] POST login  404    302*   404    404    302*
catalog:challenge_dataset_unlink[archived] POST login 403  302    403    403    302
catalog:challenge_dataset_unlink[mismatch] POST login 403  404    403    403    404

# organisations: public pages, and management for organizers
organizations:list                    GET    200    200    200    200    200    200
organizations:list                    POST   405    405    405    405    405    405
organizations:detail                  GET    200    200    200    200    200    200
organizations:detail                  POST   405    405    405    405    405    405
organizations:create                  GET    login  403    403    403    403    200
organizations:create                  POST   login  403    403    403    403    302*
organizations:edit                    GET    login  403    403    403    403    200
organizations:edit                    POST   login  403    403    403    403    302*
organizations:members                 GET    login  403    403    403    403    200
organizations:members                 POST   login  403    403    403    403    302*
organizations:member_remove           GET    login  405    405    405    405    405
organizations:member_remove           POST   login  403    403    403    403    302*
organizations:member_remove[other]    POST   login  403    403    403    403    404

# catalog: harvesting (organizers)
harvest:source_list                   GET    login  403    403    403    403    200
harvest:source_list                   POST   login  405    405    405    405    405
harvest:source_create                 GET    login  403    403    403    403    200
harvest:source_create                 POST   login  403    403    403    403    302*
harvest:source_detail                 GET    login  403    403    403    403    200
harvest:source_detail[busy]           GET    login  403    403    403    403    200
harvest:source_detail                 POST   login  405    405    405    405    405
harvest:source_edit                   GET    login  403    403    403    403    200
harvest:source_edit                   POST   login  403    403    403    403    302*
harvest:source_run                    GET    login  405    405    405    405    405
harvest:source_run[idle]              POST   login  403    403    403    403    302*
harvest:source_run[off]               POST   login  403    403    403    403    302*
harvest:source_run[busy]              POST   login  403    403    403    403    302
harvest:job_detail                    GET    login  403    403    403    403    200
harvest:job_detail[waiting]           GET    login  403    403    403    403    200
harvest:job_detail                    POST   login  405    405    405    405    405

# the user's own account
accounts:profile                      GET    login  200    200    200    200    200
accounts:profile                      POST   login  302*   302*   302*   302*   302*
accounts:demographics                 GET    login  200    200    200    200    200
accounts:demographics                 POST   login  302*   302*   302*   302*   302*
accounts:demographics_withdraw        GET    login  405    405    405    405    405
accounts:demographics_withdraw        POST   login  302    302    302    302    302
accounts:export                       GET    login  200    200    200    200    200
accounts:export                       POST   login  200*   200*   200*   200*   200*
accounts:delete                       GET    login  200    200    200    200    200
# other and pub are jury members of the judging samples: their erasure is
# refused (it would delete scores and conflict declarations), nothing changes
accounts:delete                       POST   login  302*   302*   200    200    302*

# allauth
account_login                         GET    200    302    302    302    302    302
account_login                         POST   302    302    302    302    302    302
account_logout                        GET    302    200    200    200    200    200
account_logout                        POST   302    302    302    302    302    302
account_inactive                      GET    200    200    200    200    200    200
account_inactive                      POST   405    405    405    405    405    405
account_signup                        GET    200    302    302    302    302    302
account_signup                        POST   302*   302    302    302    302    302
account_reauthenticate                GET    login  200    200    200    200    200
account_reauthenticate                POST   login  302    302    302    302    302
account_email                         GET    login  200    200    200    200    200
account_email                         POST   login  302*   302*   302*   302*   302*
account_email_verification_sent       GET    200    200    200    200    200    200
account_email_verification_sent       POST   405    405    405    405    405    405
account_change_password               GET    login  200    200    200    200    200
account_change_password               POST   login  302*   302*   302*   302*   302*
account_set_password                  GET    login  302    302    302    302    302
account_set_password                  POST   login  302    302    302    302    302
account_reset_password                GET    200    200    200    200    200    200
account_reset_password                POST   302    302    302    302    302    302
account_reset_password_done           GET    200    200    200    200    200    200
account_reset_password_done           POST   405    405    405    405    405    405
account_confirm_login_code            GET    302    302    302    302    302    302
account_confirm_login_code            POST   302    302    302    302    302    302
account_confirm_email                 GET    200    200    200    200    200    200
account_confirm_email                 POST   302*   302*   302*   302*   302*   302*
account_reset_password_from_key       GET    302    302    302    302    302    302
account_reset_password_from_key       POST   302    302    302    302    302    302
account_reset_password_from_key_done  GET    200    200    200    200    200    200
account_reset_password_from_key_done  POST   405    405    405    405    405    405

# the admin's own pages (per-model pages: ADMIN_MODEL_PAGES below). Organizers
# are staff without model permissions: only superusers work in the admin.
admin:index                           GET    login  302    302    302    302    200
admin:index                           POST   login  302    302    302    302    200
admin:login                           GET    login  403    403    403    403    302
admin:login                           POST   login  403    403    403    403    302
admin:logout                          GET    302    302    302    302    302    405
admin:logout                          POST   302    302    302    302    302    302
admin:password_change                 GET    login  302    302    302    302    200
admin:password_change                 POST   login  302    302    302    302    200
admin:password_change_done            GET    login  302    302    302    302    200
admin:password_change_done            POST   login  302    302    302    302    405
admin:autocomplete                    GET    login  302    302    302    302    403
admin:autocomplete                    POST   login  302    302    302    302    405
admin:jsi18n                          GET    login  302    302    302    302    200
admin:jsi18n                          POST   login  302    302    302    302    405
admin:view_on_site                    GET    login  302    302    302    302    302
admin:view_on_site                    POST   login  302    302    302    302    302
admin:app_list                        GET    login  302    302    302    302    404
admin:app_list                        POST   login  302    302    302    302    404
route:<lang>/admin/(?P<url>.*)$       GET    login  302    302    302    302    404
route:<lang>/admin/(?P<url>.*)$       POST   login  302    302    302    302    404"""

# The blanket rule for the admin's per-model pages (changelist, add, change,
# delete, history and the redirect to change) of every model registered with
# the admin: anonymous visitors log in, other users are sent to the admin's
# login page (which refuses them), organizers have no model permissions (403;
# the redirect to the change page is a 302 whoever asks).
ADMIN_MODEL_PAGES: dict[str, dict[str, str]] = {
    method: {
        "anonymous": "login",
        "participant": "302",
        "need_owner_this": "302",
        "need_owner_other": "302",
        "publisher": "302",
        "organizer": "403",
    }
    for method in ("GET", "POST")
}
ADMIN_PAGE_SUFFIXES = ("changelist", "add", "change", "delete", "history")


def admin_model_pages() -> dict[str, bool]:
    """The pattern keys of the admin's per-model pages -> whether it is the
    redirect to the change page."""
    from django.contrib import admin

    pages = {}
    for model in admin.site._registry:
        app_label, model_name = model._meta.app_label, model._meta.model_name
        for suffix in ADMIN_PAGE_SUFFIXES:
            pages[f"admin:{app_label}_{model_name}_{suffix}"] = False
        pages[f"route:<lang>/admin/{app_label}/{model_name}/<path:object_id>/"] = True
    return pages


# URL patterns without rows, with the reason. Keep it empty if you can.
IGNORED: dict[str, str] = {}


@dataclass(frozen=True)
class Row:
    pattern: str
    on: str | None
    method: str
    expected: dict[str, str]  # role -> answer
    line: int  # in this file; 0 for the admin's blanket rule

    @property
    def id(self) -> str:
        on = f"[{self.on}]" if self.on else ""
        return f"{self.pattern}{on}-{self.method}"


_ANSWER = re.compile(r"^(200|302|403|404|405|login)\*?$")


_KEY = re.compile(r"^(?P<pattern>.+?)(?:\[(?P<on>[\w-]+)\])?$")


def parse(text: str, first_line: int = 1, file: str = "permission_matrix.py") -> list[Row]:
    rows = []
    for number, raw in enumerate(text.splitlines(), start=first_line):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        cells = line.split()
        if len(cells) != 2 + len(ROLES):
            raise ValueError(f"{file} line {number}: {line}")
        key, method, *answers = cells
        match = _KEY.match(key)
        if match is None or method not in ("GET", "POST"):
            raise ValueError(f"{file} line {number}: {line}")
        for answer in answers:
            if not _ANSWER.match(answer):
                raise ValueError(f"{file} line {number}: {answer!r}")
        rows.append(
            Row(
                pattern=match.group("pattern"),
                on=match.group("on"),
                method=method,
                expected=dict(zip(ROLES, answers, strict=True)),
                line=number,
            )
        )
    return rows


def _matrix_text_line(path: str = __file__) -> int:
    """The line of a file where its MATRIX_TEXT starts, for error messages."""
    source = Path(path).read_text(encoding="utf-8")
    return source[: source.index('MATRIX_TEXT = """')].count("\n") + 1


def _all_rows() -> list[Row]:
    from .parts import parts

    rows = parse(MATRIX_TEXT, _matrix_text_line())
    for part in parts():
        path = str(part.__file__)
        rows += parse(part.MATRIX_TEXT, _matrix_text_line(path), Path(path).name)
    return rows


MATRIX: list[Row] = _all_rows()


def admin_model_rows(pattern_keys: list[str]) -> list[Row]:
    """The blanket rule, applied to each admin per-model page."""
    pages = admin_model_pages()
    rows = []
    for key in pattern_keys:
        if key not in pages:
            continue
        for method, expected in ADMIN_MODEL_PAGES.items():
            answers = dict(expected)
            if pages[key]:
                answers["organizer"] = "302"
            rows.append(Row(pattern=key, on=None, method=method, expected=answers, line=0))
    return rows


# --- POST data ----------------------------------------------------------------------

PostData = Callable[[World, Any], dict[str, Any]]  # (world, user or None) -> form data


def _local(days: float) -> str:
    return timezone.localtime(timezone.now() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def _challenge(w: World, user: Any) -> dict[str, Any]:
    return {
        "title": "Färre tomma bussar",
        "summary": "Hur fyller vi bussarna på landsbygden?",
        "problem": "Bussarna går tomma mitt på dagen.",
        "expected_benefit": "Bättre kollektivtrafik för fler.",
        "target_group": "Resenärer",
        "level": w.organization.level,
        "owner": str(w.organization.pk),
    }


def _event(w: World, user: Any) -> dict[str, Any]:
    return {
        "name": "Höstens hackathon",
        "kind": w.event.kind,
        "description": "",
        "location": "Online",
        "registration_opens": _local(1),
        "hacking_starts": _local(10),
        "submission_deadline": _local(12),
        "evaluation_ends": _local(20),
        "results_at": _local(25),
        "max_team_size": "6",
    }


def _organisation(w: World, user: Any) -> dict[str, Any]:
    return {
        "name": "Ny myndighet för prov",
        "slug": "ny-myndighet-prov",
        "kind": w.organization.kind,
        "level": w.organization.level,
    }


def _email(user: Any) -> str:
    return str(getattr(user, "email", "") or "participant@example.se")


NEW_PASSWORD = "Ett-nytt-lösenord-2026"

POST_DATA: dict[str, PostData] = {
    "set_language": lambda w, u: {"language": "en", "next": "/en/"},
    "core:accessibility": lambda w, u: {
        "message": "Knappen Sök saknar synlig fokusmarkering.",
        "page_url": "/sv/challenges/",
        "email": "",
    },
    "challenges:create": _challenge,
    "challenges:edit": _challenge,
    "challenges:request_changes": lambda w, u: {"comment": "Beskriv målgruppen tydligare."},
    "challenges:ask": lambda w, u: {"body": "Finns det data per län?"},
    "challenges:answer": lambda w, u: {"answer": "Ja, på dataportal.se."},
    "challenges:hide_question": lambda w, u: {"reason": "Reklam."},
    "challenges:unhide_question": lambda w, u: {"reason": "Misstag."},
    "challenges:event_create": _event,
    "challenges:event_edit": _event,
    "catalog:challenge_dataset_link": lambda w, u: {
        "dataset": str(w.datasets["unlinked"].pk),
        "note": "Visar läget per län.",
    },
    "organizations:create": _organisation,
    "organizations:edit": lambda w, u: {**_organisation(w, u), "slug": w.organization.slug},
    "harvest:source_create": lambda w, u: {
        "name": "Prov: ny källa",
        "kind": "dcat_rdf",
        "url": "https://data.example.se/ny/catalog.ttl",
        "schedule": "daily",
        "enabled": "on",
        "organization": "",
    },
    "harvest:source_edit": lambda w, u: {
        "name": "Prov: ändrad källa",
        "kind": "dcat_rdf",
        "url": "https://data.example.se/andrad/catalog.ttl",
        "schedule": "weekly",
        "enabled": "on",
        "organization": str(w.organization.pk),
    },
    "harvest:source_run": lambda w, u: {"dry_run": "", "max_items": ""},
    "organizations:members": lambda w, u: {
        "email": _email(w.user("participant")),
        "role": "need_owner",
    },
    "accounts:profile": lambda w, u: {"display_name": "Kim Provsson", "sector": ""},
    "accounts:demographics": lambda w, u: {
        "gender": "undisclosed",
        "age_band": "35-44",
        "consent": "on",
    },
    "accounts:delete": lambda w, u: {"password": PASSWORD, "confirm_email": _email(u)},
    "account_login": lambda w, u: {"login": _email(w.user("participant")), "password": PASSWORD},
    "account_signup": lambda w, u: {
        "display_name": "Ny Deltagare",
        "email": "ny.deltagare@example.se",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    },
    "account_reauthenticate": lambda w, u: {"password": PASSWORD},
    "account_email": lambda w, u: {"email": "extra.adress@example.se", "action_add": ""},
    "account_change_password": lambda w, u: {
        "oldpassword": PASSWORD,
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    },
    "account_set_password": lambda w, u: {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    "account_reset_password": lambda w, u: {"email": _email(w.user("participant"))},
    "account_reset_password_from_key": lambda w, u: {
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    },
    "account_confirm_login_code": lambda w, u: {"code": "ABC123"},
    "admin:password_change": lambda w, u: {},
}


def _add_part_post_data() -> None:
    from .parts import parts

    for part in parts():
        clash = set(part.POST_DATA) & set(POST_DATA)
        assert not clash, f"{part.__name__}: POST data given twice: {sorted(clash)}"
        POST_DATA.update(part.POST_DATA)


_add_part_post_data()


def login_required_pages() -> dict[str, str | None]:
    """Pattern key -> sample variant, for every page whose GET sends an
    anonymous visitor to log in (the matrix rows and the admin's blanket rule)."""
    from .walker import all_routes

    keys = [route.key for route in all_routes()]
    pages: dict[str, str | None] = {}
    for row in [*MATRIX, *admin_model_rows(keys)]:
        if row.method == "GET" and row.expected["anonymous"] == "login":
            pages.setdefault(row.pattern, row.on)
    return pages
