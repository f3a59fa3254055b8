"""Checks for attachments: size while reading, the type from the content
(puremagic, and for zip-based office files the zip's own description of
itself), the name's extension matching that type, a safe original name."""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO, Any

import puremagic
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_SIZE = 25 * 1024 * 1024
MAX_ZIP_MEMBERS = 10000
HEAD_BYTES = 8192


@dataclass(frozen=True)
class Kind:
    label: str
    content_type: str
    extensions: tuple[str, ...]
    family: str  # "magic", "odf", "ooxml" or "text"
    marker: str = ""  # ODF mimetype / OOXML main part content type


KINDS: tuple[Kind, ...] = (
    Kind("PDF", "application/pdf", ("pdf",), "magic"),
    Kind("PNG", "image/png", ("png",), "magic"),
    Kind("JPEG", "image/jpeg", ("jpg", "jpeg"), "magic"),
    Kind("WebP", "image/webp", ("webp",), "magic"),
    Kind("GIF", "image/gif", ("gif",), "magic"),
    Kind(
        "OpenDocument text",
        "application/vnd.oasis.opendocument.text",
        ("odt",),
        "odf",
        "application/vnd.oasis.opendocument.text",
    ),
    Kind(
        "OpenDocument spreadsheet",
        "application/vnd.oasis.opendocument.spreadsheet",
        ("ods",),
        "odf",
        "application/vnd.oasis.opendocument.spreadsheet",
    ),
    Kind(
        "OpenDocument presentation",
        "application/vnd.oasis.opendocument.presentation",
        ("odp",),
        "odf",
        "application/vnd.oasis.opendocument.presentation",
    ),
    Kind(
        "Word (docx)",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ("docx",),
        "ooxml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    Kind(
        "Excel (xlsx)",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ("xlsx",),
        "ooxml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ),
    Kind(
        "PowerPoint (pptx)",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ("pptx",),
        "ooxml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    ),
    Kind("CSV", "text/csv", ("csv",), "text"),
    Kind("text", "text/plain", ("txt",), "text"),
    Kind("Markdown", "text/markdown", ("md",), "text"),
    Kind("JSON", "application/json", ("json",), "text"),
)
BY_EXTENSION = {ext: kind for kind in KINDS for ext in kind.extensions}
ALLOWED_EXTENSIONS = tuple(BY_EXTENSION)
# Text that a browser could run as a page or a picture with scripts.
_MARKUP = re.compile(rb"^\s*(<\?xml|<!doctype|<html|<svg|<script|<head|<body|<iframe)", re.I)
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')


def allowed_types_text() -> str:
    return ", ".join(sorted({e.upper() for e in ALLOWED_EXTENSIONS if e != "jpeg"}))


def extension_of(name: str) -> str:
    base = re.split(r"[\\/]", name or "")[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def safe_name(name: str, extension: str) -> str:
    """The uploader's file name without its path, control characters and the
    characters file systems refuse, at most 200 characters (extension kept)."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFC", base)
    base = _UNSAFE_NAME.sub("_", base)
    base = " ".join(base.split()).strip(" .")
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = stem[: 200 - len(extension) - 1].strip(" .") or "attachment"
    return f"{stem}.{extension}"


@dataclass
class CheckedFile:
    file: IO[bytes]  # a temporary file with the content, at position 0
    size: int
    sha256: str
    kind: Kind
    extension: str
    original_name: str


def _too_large() -> ValidationError:
    return ValidationError(
        _("The file is too large: at most %(max)s per attachment.")
        % {"max": filesizeformat(MAX_SIZE)},
        code="too_large",
    )


def too_large_message() -> str:
    return str(_too_large().messages[0])


def _wrong_type(extension: str) -> ValidationError:
    return ValidationError(
        _(
            "Files ending in .%(ext)s cannot be attached. Allowed types: %(types)s "
            "(no web pages, SVG images or programs)."
        )
        % {"ext": extension or "?", "types": allowed_types_text()},
        code="type",
    )


def _mismatch(kind: Kind, extension: str) -> ValidationError:
    return ValidationError(
        _(
            "The file's name ends in .%(ext)s, but its content is not a %(kind)s file. "
            "Attach the file in the format its name says."
        )
        % {"ext": extension, "kind": kind.label},
        code="mismatch",
    )


def _copy(upload: Any) -> tuple[IO[bytes], int, str]:
    """The upload in a temporary file, its size and SHA-256, read in chunks:
    reading stops as soon as the size limit is passed."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_SIZE:
        raise _too_large()
    out = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)  # noqa: SIM115 - returned open
    digest = hashlib.sha256()
    total = 0
    try:
        chunks = (
            upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b"")
        )
        for chunk in chunks:
            total += len(chunk)
            if total > MAX_SIZE:
                raise _too_large()
            digest.update(chunk)
            out.write(chunk)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out, total, digest.hexdigest()


def _magic_mimes(head: bytes) -> set[str]:
    try:
        return {m.mime_type for m in puremagic.magic_string(head) if m.mime_type}
    except puremagic.PureError:
        return set()


def _zip_ok(file: IO[bytes], kind: Kind) -> bool:
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
            if len(names) > MAX_ZIP_MEMBERS:
                return False
            if kind.family == "odf":
                if "mimetype" not in names:
                    return False
                info = archive.getinfo("mimetype")
                if info.file_size > 200:
                    return False
                return archive.read("mimetype").strip() == kind.marker.encode()
            if "[Content_Types].xml" not in names:
                return False
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > 1024 * 1024:
                return False
            types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
            return f'ContentType="{kind.marker}"' in types
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, ValueError):
        return False
    finally:
        file.seek(0)


def _text_ok(file: IO[bytes], kind: Kind) -> bool:
    data = file.read()
    file.seek(0)
    if b"\x00" in data or _MARKUP.match(data[:1024].lstrip(b"\xef\xbb\xbf")):
        return False
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    if kind.extensions == ("json",):
        try:
            json.loads(text)
        except ValueError:
            return False
    return True


def check_upload(upload: Any) -> CheckedFile:
    """Read and check an upload; raises ValidationError (translated) when it
    is too large, of a type not allowed, or not what its name says. The
    caller closes ``CheckedFile.file``."""
    name = str(getattr(upload, "name", "") or "")
    extension = extension_of(name)
    kind = BY_EXTENSION.get(extension)
    if kind is None:
        raise _wrong_type(extension)
    file, size, sha256 = _copy(upload)
    try:
        if size == 0:
            raise ValidationError(_("The file is empty."), code="empty")
        head = file.read(HEAD_BYTES)
        file.seek(0)
        if kind.family == "magic":
            ok = kind.content_type in _magic_mimes(head)
        elif kind.family in ("odf", "ooxml"):
            ok = head.startswith(b"PK\x03\x04") and _zip_ok(file, kind)
        else:
            ok = _text_ok(file, kind)
        if not ok:
            raise _mismatch(kind, extension)
    except BaseException:
        file.close()
        raise
    return CheckedFile(
        file=file,
        size=size,
        sha256=sha256,
        kind=kind,
        extension="jpg" if extension == "jpeg" else extension,
        original_name=safe_name(name, extension),
    )
