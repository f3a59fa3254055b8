"""The admin for teams (members, invitations, join requests, role postings,
people looking for a team); mentors are in mentor_admin.py."""

from . import mentor_admin  # noqa: F401 - registers the mentor models
