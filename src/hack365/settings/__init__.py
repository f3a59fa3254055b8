"""Settings package. ``hack365.settings`` is the development/demo configuration;
``hack365.settings.production`` and ``hack365.settings.test`` build on it.
Everything that differs between machines comes from the environment."""

from .base import *  # noqa: F401,F403
