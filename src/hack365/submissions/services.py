"""Writes for solutions, their versions, reuse records and attachments.

Every function checks who may act (``PermissionDenied``: members of the
solution's team) and whether the solution may still change
(``ApplicationError``: the challenge is open and its deadline — the event's
submission deadline or the year-round challenge's own — is ahead, by the
server's clock), changes nothing when it refuses, and writes the audit log.

Frozen means frozen: after the deadline a solution can be neither saved,
submitted, withdrawn nor given or relieved of attachments."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from hack365.catalog.models import Dataset, Reuse
from hack365.challenges.models import ChallengeStatus
from hack365.challenges.services import search_key
from hack365.core.audit import log_action
from hack365.core.errors import ApplicationError, PermissionDenied
from hack365.core.permissions import is_authenticated
from hack365.teams.models import Team

from . import files, licences, rules
from .models import (
    OTHER_DATA_MAX,
    PROBLEM_MAX,
    SUMMARY_MAX,
    TARGET_GROUP_MAX,
    TITLE_MAX,
    URL_MAX,
    Attachment,
    Solution,
    SolutionDataset,
    SolutionStatus,
    SolutionVersion,
)

MAX_DATASETS = 30
MAX_ATTACHMENTS = 10
TEXT_FIELDS = {
    "title": TITLE_MAX,
    "summary": SUMMARY_MAX,
    "problem": PROBLEM_MAX,
    "target_group": TARGET_GROUP_MAX,
    "other_data": OTHER_DATA_MAX,
}
URL_FIELDS = ("repository_url", "demo_url", "video_url")
EDITABLE_FIELDS = (*TEXT_FIELDS, *URL_FIELDS, "licence")
_url_validator = URLValidator(schemes=["http", "https"])


class SolutionConflict(ApplicationError):
    """Someone else saved the solution after the version the editor started
    from. The message names who and when; nothing was saved."""

    def __init__(self, solution: Solution, latest: SolutionVersion | None) -> None:
        who = _("another member of the team")
        when = ""
        if latest is not None:
            if latest.author is not None:
                who = latest.author.display_name
            when = formats.date_format(timezone.localtime(latest.created_at), "j F Y H:i")
        message = _(
            "Someone else saved a newer version (version %(number)d, by %(who)s at %(when)s) "
            "while you were editing. Nothing of yours was saved: your text is kept below; "
            "review their changes and save again."
        ) % {"number": solution.version, "who": who, "when": when}
        super().__init__(message, code="conflict")
        self.current_version = solution.version
        self.saved_by = who
        self.saved_at = latest.created_at if latest is not None else None


# --- helpers --------------------------------------------------------------------------


def _now() -> datetime:
    return timezone.now()


def _require_member(user: Any, team: Team | int) -> None:
    if not is_authenticated(user) or not user.is_active:
        raise PermissionDenied(_("You need to log in to do this."))
    if not rules.is_team_member(user, team):
        raise PermissionDenied(_("Only the team's members may change its solution."))


def frozen_message(deadline: datetime) -> str:
    local = timezone.localtime(deadline)
    return _("The deadline passed at %(time)s on %(date)s; the solution is frozen.") % {
        "time": formats.time_format(local, "H:i"),
        "date": formats.date_format(local, "j F Y"),
    }


def _require_open(solution: Solution) -> None:
    """The challenge is open and its deadline ahead (server time)."""
    challenge = solution.challenge
    deadline = challenge.effective_deadline
    if deadline is not None and _now() >= deadline:
        raise ApplicationError(frozen_message(deadline), code="frozen")
    if challenge.status != ChallengeStatus.PUBLISHED:
        raise ApplicationError(
            _("The challenge is not open; its solutions can no longer be changed."),
            code="closed",
        )


def _lock(solution: Solution) -> Solution:
    """The solution re-read under a row lock (with what the rules need)."""
    return (
        Solution.objects.select_for_update(of=("self",))
        .select_related("challenge", "challenge__event", "team")
        .get(pk=solution.pk)
    )


def _clean_text(value: str | None, *, field: str, max_length: int) -> str:
    text = (value or "").strip()
    if "\x00" in text:
        raise ValidationError({field: _("The text contains characters that are not allowed.")})
    if len(text) > max_length:
        raise ValidationError(
            {
                field: _("Please write at most %(max)d characters (you wrote %(n)d).")
                % {"max": max_length, "n": len(text)}
            }
        )
    return text


def clean_url(value: str | None, *, field: str) -> str:
    """An http or https address (or nothing). javascript:, data:, ftp: and
    every other scheme are refused."""
    url = (value or "").strip()
    if not url:
        return ""
    message = _("Only web addresses that start with http:// or https:// are allowed.")
    if len(url) > URL_MAX:
        raise ValidationError(
            {field: _("The address is too long (at most %(max)d characters).") % {"max": URL_MAX}}
        )
    try:
        parts = urlsplit(url)
    except ValueError:
        raise ValidationError({field: message}) from None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValidationError({field: message})
    try:
        _url_validator(url)
    except ValidationError:
        raise ValidationError({field: _("Please enter a valid web address.")}) from None
    return url


def _clean_licence(value: str | None) -> str:
    code = (value or "").strip()
    if code and code not in licences.ALL_IDS:
        raise ValidationError({"licence": _("Please choose a licence from the list.")})
    return code


def _clean_fields(fields: dict[str, Any]) -> dict[str, str]:
    cleaned: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for name, max_length in TEXT_FIELDS.items():
        try:
            cleaned[name] = _clean_text(fields.get(name), field=name, max_length=max_length)
        except ValidationError as error:
            errors.update(error.message_dict)
    for name in URL_FIELDS:
        try:
            cleaned[name] = clean_url(fields.get(name), field=name)
        except ValidationError as error:
            errors.update(error.message_dict)
    try:
        cleaned["licence"] = _clean_licence(fields.get("licence"))
    except ValidationError as error:
        errors.update(error.message_dict)
    if not errors and not cleaned["title"]:
        errors["title"] = [_("Please give the solution a title.")]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_datasets(solution: Solution, dataset_ids: Iterable[Any]) -> list[Dataset]:
    """The datasets in the order given, duplicates dropped; every one must be
    in the catalog, and a dataset the publisher withdrew can be kept but not
    newly added."""
    wanted: list[int] = []
    for raw in dataset_ids:
        try:
            pk = int(raw)
        except (TypeError, ValueError):
            raise ValidationError({"datasets": _("There is no such dataset.")}) from None
        if pk <= 0 or pk > 2**62:
            raise ValidationError({"datasets": _("There is no such dataset.")})
        if pk not in wanted:
            wanted.append(pk)
    if len(wanted) > MAX_DATASETS:
        raise ValidationError(
            {"datasets": _("A solution can list at most %(max)d datasets.") % {"max": MAX_DATASETS}}
        )
    found = {d.pk: d for d in Dataset.objects.filter(pk__in=wanted)}
    missing = [pk for pk in wanted if pk not in found]
    if missing:
        raise ValidationError(
            {
                "datasets": _("There is no dataset number %(ids)s in the catalog.")
                % {"ids": ", ".join(map(str, missing))}
            }
        )
    already = (
        set(solution.dataset_uses.values_list("dataset_id", flat=True)) if solution.pk else set()
    )
    withdrawn = [found[pk] for pk in wanted if found[pk].withdrawn and pk not in already]
    if withdrawn:
        raise ValidationError(
            {
                "datasets": _(
                    "“%(title)s” has been withdrawn from the catalog and cannot be added."
                )
                % {"title": withdrawn[0].display_title}
            }
        )
    return [found[pk] for pk in wanted]


def _set_datasets(solution: Solution, datasets: Sequence[Dataset]) -> None:
    existing = {use.dataset_id: use for use in solution.dataset_uses.all()}
    keep = {d.pk for d in datasets}
    SolutionDataset.objects.filter(solution=solution).exclude(dataset_id__in=keep).delete()
    for position, dataset in enumerate(datasets):
        use = existing.get(dataset.pk)
        if use is None:
            SolutionDataset.objects.create(solution=solution, dataset=dataset, position=position)
        elif use.position != position:
            use.position = position
            use.save(update_fields=["position"])


def _snapshot(solution: Solution, datasets: Sequence[Dataset]) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(solution, name) for name in EDITABLE_FIELDS}
    data["datasets"] = [{"id": d.pk, "title": d.display_title} for d in datasets]
    return data


def _record_version(solution: Solution, user: Any, datasets: Sequence[Dataset]) -> SolutionVersion:
    return SolutionVersion.objects.create(
        solution=solution,
        number=solution.version,
        author=user if is_authenticated(user) else None,
        status=solution.status,
        data=_snapshot(solution, datasets),
    )


def solution_search_text(solution: Solution, datasets: Sequence[Dataset] = ()) -> str:
    parts = [
        solution.title,
        solution.summary,
        solution.problem,
        solution.target_group,
        solution.other_data,
        solution.team.name,
        *(d.display_title for d in datasets),
    ]
    return search_key("\n".join(p for p in parts if p))


def _sync_reuse(solution: Solution) -> tuple[list[int], list[int]]:
    """Reuse rows for every catalog dataset of a submitted solution, none for
    any other; returns the dataset ids (added, removed)."""
    existing = set(Reuse.objects.filter(solution=solution).values_list("dataset_id", flat=True))
    wanted: set[int] = set()
    if solution.status == SolutionStatus.SUBMITTED:
        wanted = set(solution.dataset_uses.values_list("dataset_id", flat=True))
    removed = sorted(existing - wanted)
    added = sorted(wanted - existing)
    if removed:
        Reuse.objects.filter(solution=solution, dataset_id__in=removed).delete()
    if added:
        Reuse.objects.bulk_create(
            [Reuse(solution=solution, dataset_id=pk) for pk in added], ignore_conflicts=True
        )
    return added, removed


def _current_datasets(solution: Solution) -> list[Dataset]:
    return [use.dataset for use in solution.dataset_uses.select_related("dataset")]


# --- solutions ------------------------------------------------------------------------


@transaction.atomic
def solution_create(*, user: Any, team: Team, title: str = "") -> Solution:
    """A member of a team that has a challenge starts the team's solution to
    it (a draft; one per team and challenge)."""
    team = (
        Team.objects.select_for_update(of=("self",))
        .select_related("challenge", "challenge__event")
        .get(pk=team.pk)
    )
    _require_member(user, team)
    challenge = team.challenge
    if challenge is None:
        raise ApplicationError(
            _("The team has not chosen a challenge yet; choose one before starting a solution."),
            code="no_challenge",
        )
    if challenge.status != ChallengeStatus.PUBLISHED:
        raise ApplicationError(_("The challenge is not open for solutions."), code="closed")
    deadline = challenge.effective_deadline
    if deadline is not None and _now() >= deadline:
        raise ApplicationError(frozen_message(deadline), code="frozen")
    if Solution.objects.filter(team=team, challenge=challenge).exists():
        raise ApplicationError(
            _("The team already has a solution to this challenge."), code="exists"
        )
    title = (
        _clean_text(title, field="title", max_length=TITLE_MAX)
        or (_("Solution by %(team)s") % {"team": team.name})[:TITLE_MAX]
    )
    solution = Solution.objects.create(
        team=team,
        challenge=challenge,
        title=title,
        created_by=user,
        status=SolutionStatus.DRAFT,
        version=1,
    )
    solution.search_text = solution_search_text(solution)
    solution.save(update_fields=["search_text"])
    _record_version(solution, user, [])
    log_action(
        solution,
        "submissions.solution.created",
        actor=user,
        data={"team": team.pk, "challenge": challenge.pk},
    )
    return solution


@transaction.atomic
def solution_save(
    *,
    user: Any,
    solution: Solution,
    expected_version: int,
    title: str,
    summary: str = "",
    problem: str = "",
    target_group: str = "",
    dataset_ids: Iterable[Any] = (),
    other_data: str = "",
    repository_url: str = "",
    demo_url: str = "",
    video_url: str = "",
    licence: str = "",
) -> Solution:
    """Save the team's changes as a new version. ``expected_version`` is the
    version the editor started from: if someone saved since,
    :class:`SolutionConflict` is raised and nothing is saved."""
    locked = _lock(solution)
    _require_member(user, locked.team_id)
    _require_open(locked)
    if expected_version != locked.version:
        latest = locked.versions.select_related("author").order_by("-number").first()
        raise SolutionConflict(locked, latest)
    cleaned = _clean_fields(
        {
            "title": title,
            "summary": summary,
            "problem": problem,
            "target_group": target_group,
            "other_data": other_data,
            "repository_url": repository_url,
            "demo_url": demo_url,
            "video_url": video_url,
            "licence": licence,
        }
    )
    datasets = _clean_datasets(locked, dataset_ids)
    if locked.status == SolutionStatus.SUBMITTED:
        _require_complete(cleaned, datasets)
    before = {use.dataset_id for use in locked.dataset_uses.all()}
    changed = [name for name in EDITABLE_FIELDS if getattr(locked, name) != cleaned[name]]
    for name, value in cleaned.items():
        setattr(locked, name, value)
    _set_datasets(locked, datasets)
    locked.version += 1
    locked.search_text = solution_search_text(locked, datasets)
    locked.save(update_fields=[*EDITABLE_FIELDS, "version", "search_text", "updated_at"])
    _record_version(locked, user, datasets)
    added, removed = _sync_reuse(locked)
    after = {d.pk for d in datasets}
    log_action(
        locked,
        "submissions.solution.saved",
        actor=user,
        data={
            "version": locked.version,
            "fields": changed,
            "datasets_added": sorted(after - before),
            "datasets_removed": sorted(before - after),
            "reuse_added": added,
            "reuse_removed": removed,
        },
    )
    for name in (*EDITABLE_FIELDS, "version", "search_text"):
        setattr(solution, name, getattr(locked, name))
    return locked


def _require_complete(fields: dict[str, str], datasets: Sequence[Dataset]) -> None:
    errors: dict[str, list[str]] = {}
    if not fields["title"]:
        errors["title"] = [_("Please give the solution a title.")]
    if not fields["summary"]:
        errors["summary"] = [_("Please write a summary before submitting.")]
    if not fields["problem"]:
        errors["problem"] = [_("Please describe the problem the solution solves.")]
    if not datasets and not fields["other_data"]:
        errors["datasets"] = [
            _("Please name at least one dataset from the catalog or describe the other data used.")
        ]
    if not fields["licence"]:
        errors["licence"] = [_("Please choose a licence before submitting.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def solution_submit(*, user: Any, solution: Solution) -> Solution:
    """Submit a draft (or submit a withdrawn solution again). Records a reuse
    of every catalog dataset it uses."""
    locked = _lock(solution)
    _require_member(user, locked.team_id)
    _require_open(locked)
    if locked.status == SolutionStatus.SUBMITTED:
        raise ApplicationError(_("The solution has already been submitted."), code="state")
    datasets = _current_datasets(locked)
    _require_complete({name: getattr(locked, name) for name in EDITABLE_FIELDS}, datasets)
    previous = locked.status
    locked.status = SolutionStatus.SUBMITTED
    locked.submitted_at = _now()
    locked.withdrawn_at = None
    locked.save(update_fields=["status", "submitted_at", "withdrawn_at", "updated_at"])
    added, _removed = _sync_reuse(locked)
    log_action(
        locked,
        "submissions.solution.submitted",
        actor=user,
        data={"from": previous, "version": locked.version, "reuse_added": added},
    )
    solution.status, solution.submitted_at = locked.status, locked.submitted_at
    solution.withdrawn_at = None
    return locked


@transaction.atomic
def solution_withdraw(*, user: Any, solution: Solution) -> Solution:
    """The team withdraws its solution (before the deadline); its reuse
    records go with it. It can be submitted again while the deadline is ahead."""
    locked = _lock(solution)
    _require_member(user, locked.team_id)
    _require_open(locked)
    if locked.status == SolutionStatus.WITHDRAWN:
        raise ApplicationError(_("The solution has already been withdrawn."), code="state")
    previous = locked.status
    locked.status = SolutionStatus.WITHDRAWN
    locked.withdrawn_at = _now()
    locked.save(update_fields=["status", "withdrawn_at", "updated_at"])
    _added, removed = _sync_reuse(locked)
    log_action(
        locked,
        "submissions.solution.withdrawn",
        actor=user,
        data={"from": previous, "reuse_removed": removed},
    )
    solution.status, solution.withdrawn_at = locked.status, locked.withdrawn_at
    return locked


# --- attachments ----------------------------------------------------------------------


def _storage_name(extension: str) -> str:
    return f"attachments/{_now():%Y}/{uuid.uuid4().hex}.{extension}"


@transaction.atomic
def attachment_add(
    *, user: Any, solution: Solution, upload: Any, is_confidential: bool = False
) -> Attachment:
    """Attach a file: at most 25 MB, of an allowed type checked against its
    content, stored under a generated name. A refused upload leaves no file
    and no row."""
    locked = _lock(solution)
    _require_member(user, locked.team_id)
    _require_open(locked)
    if locked.attachments.count() >= MAX_ATTACHMENTS:
        raise ApplicationError(
            _("A solution can have at most %(max)d attachments; remove one first.")
            % {"max": MAX_ATTACHMENTS},
            code="too_many",
        )
    if upload is None:
        raise ValidationError({"file": _("Please choose a file.")})
    try:
        checked = files.check_upload(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    stored = ""
    try:
        stored = default_storage.save(_storage_name(checked.extension), File(checked.file))
        attachment = Attachment.objects.create(
            solution=locked,
            file=stored,
            original_name=checked.original_name,
            content_type=checked.kind.content_type,
            size=checked.size,
            sha256=checked.sha256,
            is_confidential=bool(is_confidential),
            uploaded_by=user,
        )
        data: dict[str, Any] = {
            "attachment": attachment.pk,
            "size": checked.size,
            "content_type": checked.kind.content_type,
            "confidential": attachment.is_confidential,
        }
        if not attachment.is_confidential:
            data["name"] = attachment.original_name
        log_action(locked, "submissions.attachment.added", actor=user, data=data)
    except BaseException:
        if stored:
            default_storage.delete(stored)
        raise
    finally:
        checked.file.close()
    return attachment


@transaction.atomic
def attachment_remove(*, user: Any, attachment: Attachment) -> None:
    """Remove an attachment; its file is deleted once the removal is committed."""
    locked = _lock(attachment.solution)
    _require_member(user, locked.team_id)
    _require_open(locked)
    attachment = Attachment.objects.select_for_update().get(pk=attachment.pk, solution=locked)
    name = attachment.file.name
    pk = attachment.pk
    attachment.delete()
    transaction.on_commit(lambda: default_storage.delete(name))
    log_action(
        locked,
        "submissions.attachment.removed",
        actor=user,
        data={"attachment": pk, "confidential": attachment.is_confidential},
    )
