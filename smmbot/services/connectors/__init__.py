"""Connectors: one module per provider behind the small interface in `base`, called only by
scheduled sync jobs and the OAuth callbacks, never by a Slack listener."""
