"""Django REST Framework and the OpenAPI document (drf-spectacular)."""

from typing import Any

from config.settings.components import PROJECT, env

REST_FRAMEWORK: dict[str, Any] = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "{{ cookiecutter.project_slug }}.core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    # DRF's anon and user rates, each counted with one cache call (core/api/throttling.py).
    "DEFAULT_THROTTLE_CLASSES": [
        "{{ cookiecutter.project_slug }}.core.api.throttling.AnonRateThrottle",
        "{{ cookiecutter.project_slug }}.core.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="100/minute"),
        "user": env.str("API_THROTTLE_USER", default="1000/minute"),
    },
    # Proxies in front that append to X-Forwarded-For: throttles count a client by the
    # address the nearest one saw. 0 (no proxy): by the connection's address, so a client
    # cannot pick its identity with a forged header. Behind one proxy, set 1.
    "NUM_PROXIES": env.int("DJANGO_NUM_PROXIES", default=0),
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "{{ cookiecutter.project_slug }}.core.api.schema.ProblemDetailsAutoSchema",
    "EXCEPTION_HANDLER": "{{ cookiecutter.project_slug }}.core.api.errors.problem_details_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": {{ (cookiecutter.project_name ~ " API") | python_string }},
    "DESCRIPTION": PROJECT["description"],
    "VERSION": PROJECT["version"],
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI's JavaScript and CSS come from drf-spectacular-sidecar, served by us.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # /api/schema/ and /api/docs/: public by default (clients generate code from it);
    # DJANGO_API_DOCS_PUBLIC=false keeps them to staff (signed in to the admin).
    "SERVE_PERMISSIONS": [
        "rest_framework.permissions.AllowAny"
        if env.bool("DJANGO_API_DOCS_PUBLIC", default=True)
        else "rest_framework.permissions.IsAdminUser"
    ],
}
