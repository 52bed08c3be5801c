"""gunicorn.conf.py: worker count from WEB_CONCURRENCY, else from the cores with a cap{% if cookiecutter.use_async == "y" %};
the uvicorn workers trust forwarded headers only from FORWARDED_ALLOW_IPS{% endif %}."""

import multiprocessing
import os
import runpy
from pathlib import Path
from unittest import mock

import pytest
{%- if cookiecutter.use_async == "y" %}
from gunicorn.config import Config
from gunicorn.glogging import Logger
from uvicorn.config import Config as UvicornConfig
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware
from uvicorn_worker import UvicornWorker
{%- endif %}

CONFIG = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def workers() -> int:
    # The file may set environment variables up for gunicorn's workers; reading it here
    # must not leave them behind for the tests that follow.
    with mock.patch.dict(os.environ):
        return int(runpy.run_path(str(CONFIG))["workers"])


def test_workers_follow_the_cores_up_to_a_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.setattr(multiprocessing, "cpu_count", lambda: 1)
    assert workers() == 3
    monkeypatch.setattr(multiprocessing, "cpu_count", lambda: 16)
    assert workers() == 8


def test_web_concurrency_sets_the_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEB_CONCURRENCY", "12")
    monkeypatch.setattr(multiprocessing, "cpu_count", lambda: 2)
    assert workers() == 12
{%- if cookiecutter.use_async == "y" %}


def uvicorn_config() -> UvicornConfig:
    """The configuration a uvicorn worker of `make serve` runs with."""
    config = Config()
    with mock.patch.dict(os.environ):
        for name, value in runpy.run_path(str(CONFIG)).items():
            if name in config.settings:  # as gunicorn reads its configuration file
                config.set(name, value)
    worker = UvicornWorker(0, os.getpid(), [], None, 30, config, Logger(config))
    uvicorn: UvicornConfig = worker.config
    return uvicorn


async def seen_by_the_app(trusted: list[str] | str, peer: str) -> tuple[str, str]:
    """The client address and scheme the app sees of a request from `peer` that says,
    in forwarded headers, it comes from 203.0.113.9 over HTTPS."""
    seen: dict[str, object] = {}

    async def app(scope: dict[str, object], receive: object, send: object) -> None:
        seen.update(scope)

    scope = {
        "type": "http",
        "scheme": "http",
        "client": (peer, 50000),
        "headers": [(b"x-forwarded-for", b"203.0.113.9"), (b"x-forwarded-proto", b"https")],
    }
    await ProxyHeadersMiddleware(app, trusted_hosts=trusted)(scope, None, None)  # type: ignore[arg-type]
    client = seen["client"]
    assert isinstance(client, tuple)
    return str(client[0]), str(seen["scheme"])


async def test_uvicorn_workers_believe_forwarded_headers_only_from_the_proxy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.0.0.5")
    trusted = uvicorn_config().forwarded_allow_ips
    assert trusted == ["10.0.0.5"]
    assert await seen_by_the_app(trusted, peer="10.0.0.5") == ("203.0.113.9", "https")
    # Anyone else (a client reaching the port directly) cannot pick an address or a scheme.
    assert await seen_by_the_app(trusted, peer="198.51.100.7") == ("198.51.100.7", "http")


async def test_uvicorn_workers_trust_only_the_loopback_by_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    trusted = uvicorn_config().forwarded_allow_ips
    assert trusted == ["127.0.0.1"]
    assert await seen_by_the_app(trusted, peer="198.51.100.7") == ("198.51.100.7", "http")
{%- endif %}
