from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
    throttle_classes,
)
from rest_framework.request import Request
from rest_framework.response import Response

{% if cookiecutter.use_async == "y" -%}
from {{ cookiecutter.project_slug }}.core.api.async_views import AsyncAPIView
{% endif -%}
from {{ cookiecutter.project_slug }}.health.checks import CheckResult, readiness_probe


class ReadinessBusy(exceptions.APIException):
    """The checks are running for another probe and there is no earlier result yet."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "Readiness is being checked; try again shortly."
    default_code = "readiness_busy"
    wait = 1  # DRF answers it with Retry-After


class ReadinessCheckResultSerializer(serializers.Serializer[dict[str, object]]):
    ok = serializers.BooleanField()
    duration_ms = serializers.FloatField()


def check_results_field() -> serializers.DictField:
    return serializers.DictField(child=ReadinessCheckResultSerializer())


@extend_schema(
    tags=["health"],
    summary="Liveness: the process is up (touches no dependency)",
    responses={200: inline_serializer("Liveness", {"status": serializers.CharField()})},
)
@api_view(["GET"])
@authentication_classes([])
@permission_classes([])
@throttle_classes([])
def health_live(request: Request) -> Response:
    return Response({"status": "ok"})


# The OpenAPI document declares no 503 here (core/api/schema.py).
health_live.cls.touches_no_dependency = True  # type: ignore[attr-defined]


readiness_schema = extend_schema(
    tags=["health"],
    summary="Readiness: database, cache and broker answer (checked concurrently)",
    responses={
        200: inline_serializer(
            "Readiness",
            {"status": serializers.CharField(), "checks": check_results_field()},
        ),
        503: inline_serializer(
            "ReadinessFailed",
            {
                "status": serializers.CharField(),
                "failing": serializers.ListField(child=serializers.CharField()),
                "checks": check_results_field(),
            },
        ),
    },
)
{%- if cookiecutter.use_async == "y" %}


class HealthReadyView(AsyncAPIView):
    authentication_classes = []
    permission_classes = []
    throttle_classes = []

    @readiness_schema
    async def get(self, request: Request) -> Response:
        return readiness_response(await readiness_probe.results())


health_ready = HealthReadyView.as_view()
{%- else %}


@readiness_schema
@api_view(["GET"])
@authentication_classes([])
@permission_classes([])
@throttle_classes([])
def health_ready(request: Request) -> Response:
    return readiness_response(readiness_probe.results_sync())
{%- endif %}


def readiness_response(results: list[CheckResult] | None) -> Response:
    if results is None:
        raise ReadinessBusy
    # Failures are named here and detailed in the log: error text can carry hostnames.
    checks = {
        result.name: {"ok": result.ok, "duration_ms": result.duration_ms} for result in results
    }
    failing = [result.name for result in results if not result.ok]
    if failing:
        return Response(
            {"status": "unavailable", "failing": failing, "checks": checks},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
        )
    return Response({"status": "ok", "checks": checks})
