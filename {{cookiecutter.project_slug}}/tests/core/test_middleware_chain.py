"""The middleware chain runs in the server's mode: no request changes mode on its way."""

import logging

from django.core.handlers.base import BaseHandler


def test_no_middleware_makes_a_request_change_mode(settings, caplog):
    # One middleware of the other mode puts every request through an adapter:
{%- if cookiecutter.use_async == "y" %}
    # under ASGI, a hop to a thread and back (sync_to_async).
{%- else %}
    # under WSGI, an event loop and a thread of its own (async_to_sync), which cost a
    # request more than all the rest of the chain.
{%- endif %}
    settings.DEBUG = True  # Django logs each adaptation it makes only then
    with caplog.at_level(logging.DEBUG, logger="django.request"):
        BaseHandler().load_middleware(is_async={{ "True" if cookiecutter.use_async == "y" else "False" }})
    assert [r.getMessage() for r in caplog.records if "adapted" in r.getMessage()] == []
