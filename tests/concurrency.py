"""Running service calls at the same moment, for the PostgreSQL concurrency
tests: each call in its own thread and database connection, all released
together by a barrier."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from hack365.core.errors import ApplicationError


def run_at_once(
    calls: Sequence[Callable[[], Any]],
    expected: Sequence[tuple[type[BaseException], str]] = ((ApplicationError, "refused"),),
) -> list[str]:
    """The outcome of each call: "ok", the name given in ``expected`` for the
    first exception class it raised (checked in order), or the unexpected
    error itself."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = [""] * len(calls)

    def work(i: int, call: Callable[[], Any]) -> None:
        from django.db import connection

        try:
            barrier.wait(timeout=30)
            call()
            outcomes[i] = "ok"
        except Exception as error:  # noqa: BLE001 - named or reported
            outcomes[i] = next(
                (name for kind, name in expected if isinstance(error, kind)),
                f"error: {error!r}",
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes
