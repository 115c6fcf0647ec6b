"""The HTTP surface: routing and the production server. Slack's endpoint is plugged in as WSGI."""
