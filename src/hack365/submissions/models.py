"""Solutions, their versions and attachments (see services.py)."""
