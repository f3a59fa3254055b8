"""Uploads over the limit are dropped while the request body is read.

Django reads a multipart body (the CSRF check does, before any view runs)
and hands file data to upload handlers that keep it in memory or spool it to
a temporary file. This handler goes first: a file whose data passes
``settings.FILE_UPLOAD_MAX_BYTES`` is skipped at that point — the rest of it
is read and thrown away, never kept in memory or on disk — and the request is
marked (:func:`upload_too_big`) so the view can tell the person why the file
is missing. The per-attachment check in the services stays the rule; this is
what keeps a 2 GB upload from filling the disk first."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest

MARK = "_hack365_upload_too_big"


def upload_too_big(request: HttpRequest) -> bool:
    """Whether a file in this request was dropped for its size (reads the
    body first, if nothing has yet)."""
    request.FILES  # noqa: B018 - parses the body, through the handlers
    return bool(getattr(request, MARK, False))


class SizeLimitUploadHandler(FileUploadHandler):
    def _limit(self) -> int:
        return int(getattr(settings, "FILE_UPLOAD_MAX_BYTES", 25 * 1024 * 1024))

    def _drop(self) -> None:
        if self.request is not None:
            setattr(self.request, MARK, True)
        raise SkipFile

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self._limit():
            self._drop()
        return raw_data  # on to the next handler

    def file_complete(self, file_size: int) -> Any:
        return None  # the next handler makes the file
