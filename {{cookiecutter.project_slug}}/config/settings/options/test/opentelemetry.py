"""Tests trace into an in-memory exporter of their own, never to an endpoint in .env."""

TRACING_ENABLED = False
