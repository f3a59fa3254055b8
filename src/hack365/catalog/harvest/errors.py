"""Errors of the harvester. Messages are meant for the organizer who reads
the job report: they say what is wrong and, where it helps, what to do."""

from __future__ import annotations


class HarvestError(Exception):
    """The whole document (file, page or response) is unusable: the job fails
    and nothing stored before is changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class RecordError(Exception):
    """One record cannot be mapped; it fails alone and the others go on."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class FetchRefused(HarvestError):
    """A fetch refused before or while connecting: a scheme other than HTTP(S),
    a private or loopback address, too many redirects, too large a response."""


class NotModified(Exception):
    """The server answered 304 Not Modified to a conditional GET."""
