from typing import Any

import sentry_sdk

from {{ cookiecutter.project_slug }}.core.observability.sentry import init_sentry


def test_empty_dsn_leaves_sentry_off():
    assert init_sentry(dsn="", environment="test", release="r", traces_sample_rate=0.0) is False
    assert not sentry_sdk.get_client().is_active()


def test_dsn_starts_sentry_without_pii(monkeypatch):
    monkeypatch.setattr(sentry_sdk, "init", recorded := RecordingInit())
    started = init_sentry(
        dsn="https://key@sentry.example.com/1",
        environment="production",
        release="svc@1.0.0",
        traces_sample_rate=0.25,
    )
    assert started is True
    options = recorded.kwargs
    assert options["send_default_pii"] is False
    assert options["environment"] == "production"
    assert options["traces_sample_rate"] == 0.25
    names = {type(integration).__name__ for integration in options["integrations"]}
    assert {"DjangoIntegration", "LoggingIntegration"} <= names


class RecordingInit:
    def __init__(self) -> None:
        self.kwargs: dict[str, Any] = {}

    def __call__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs
