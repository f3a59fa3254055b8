"""Swedish and English are both complete: every catalogue fully translated,
and no translatable string in the code missing from the catalogues."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from tests.conftest import need

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "hack365"
APP_DIRS = sorted(p.parents[3] for p in PACKAGE.glob("*/locale/sv/LC_MESSAGES/django.po"))
CATALOGUES = sorted(PACKAGE.glob("**/locale/sv/LC_MESSAGES/*.po"))


def test_there_are_swedish_catalogues() -> None:
    assert (PACKAGE / "locale/sv/LC_MESSAGES/django.po") in CATALOGUES
    names = {p.name for p in APP_DIRS}
    assert {"core", "accounts", "organizations", "challenges"} <= names


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_swedish_catalogue_is_complete(po_path: Path) -> None:
    catalogue = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} untranslated: {untranslated[:10]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy: {fuzzy[:10]}"
    for entry in catalogue.translated_entries():
        for placeholder in ("%(", "{{", "%s", "%d"):
            assert entry.msgid.count(placeholder) == (
                entry.msgstr or next(iter(entry.msgstr_plural.values()), "")
            ).count(placeholder), f"placeholders differ in {entry.msgid!r}"


def _extract(source_dir: Path, tmp_path: Path, ignore: list[str]) -> set[str]:
    work = tmp_path / source_dir.name
    shutil.copytree(source_dir, work, ignore=shutil.ignore_patterns("locale", "__pycache__"))
    (work / "locale").mkdir()
    args = [sys.executable, "-P", "-m", "hack365.cli", "makemessages", "-l", "sv", "--no-location"]
    for pattern in ignore:
        args += ["-i", pattern]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hack365.settings.test"}
    subprocess.run(args, cwd=work, check=True, capture_output=True, env=env)
    return {e.msgid for e in polib.pofile(str(work / "locale/sv/LC_MESSAGES/django.po"))}


@pytest.mark.parametrize(
    "app",
    [  # every app with a catalogue (test_every_app_is_checked)
        "core",
        "accounts",
        "organizations",
        "challenges",
        "catalog",
        "teams",
        "submissions",
        "judging",
        "realization",
        "project",
    ],
)
def test_no_string_is_missing_from_the_catalogues(app: str, tmp_path: Path) -> None:
    need(shutil.which("xgettext") is not None, "GNU gettext (xgettext) is not installed")
    if app == "project":
        source, ignore = PACKAGE, [f"{d.name}/*" for d in APP_DIRS] + ["demo/*"]
    else:
        source, ignore = PACKAGE / app, []
    extracted = _extract(source, tmp_path, ignore)
    committed = {e.msgid for e in polib.pofile(str(source / "locale/sv/LC_MESSAGES/django.po"))}
    missing = sorted(extracted - committed)
    assert not missing, f"run makemessages in {source} and translate: {missing[:15]}"


def test_every_app_is_checked() -> None:
    """A new app's catalogue is not forgotten by the test above."""
    checked = set(
        next(
            m.args[1]
            for m in test_no_string_is_missing_from_the_catalogues.pytestmark  # type: ignore[attr-defined]
            if m.name == "parametrize"
        )
    )
    assert {p.name for p in APP_DIRS} <= checked
