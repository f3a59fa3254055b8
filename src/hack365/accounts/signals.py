"""allauth's signals → the audit log (connected in ``AccountsConfig.ready``)."""

from __future__ import annotations

from typing import Any

from allauth.account import signals

from .services import account_event_log


def _receiver(action: str) -> Any:
    def receive(sender: Any, user: Any = None, **kwargs: Any) -> None:
        if user is None and "email_address" in kwargs:
            user = kwargs["email_address"].user
        if user is not None and user.pk is not None:
            account_event_log(user=user, action=action)

    receive.__name__ = f"audit_{action.replace('.', '_')}"
    return receive


RECEIVERS = {
    signals.password_changed: _receiver("accounts.password.changed"),
    signals.password_set: _receiver("accounts.password.set"),
    signals.password_reset: _receiver("accounts.password.reset"),
    signals.email_added: _receiver("accounts.email.added"),
    signals.email_removed: _receiver("accounts.email.removed"),
    signals.email_confirmed: _receiver("accounts.email.confirmed"),
    signals.email_changed: _receiver("accounts.email.primary_changed"),
}


def connect() -> None:
    for signal, receiver in RECEIVERS.items():
        signal.connect(receiver, dispatch_uid=receiver.__name__)
