"""URL wiring: health, admin, the versioned API and its documentation."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from {{ cookiecutter.project_slug }}.core.api.errors import page_not_found
{%- if cookiecutter.use_graphql == "y" %}
from {{ cookiecutter.project_slug }}.graphql.views import GraphQLView
{%- endif %}

api_v1 = [
{%- if cookiecutter.use_jwt == "y" %}
    path("auth/", include("{{ cookiecutter.project_slug }}.users.api.auth")),
{%- endif %}
    path("users/", include("{{ cookiecutter.project_slug }}.users.api.urls")),
{%- if cookiecutter.example_app == "y" %}
    path("articles/", include("{{ cookiecutter.project_slug }}.articles.api.urls")),
{%- endif %}
]

urlpatterns = [
    path("health/", include("{{ cookiecutter.project_slug }}.health.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("api/v1/", include((api_v1, "api"), namespace="v1")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
{%- if cookiecutter.use_graphql == "y" %}
    path("graphql/", GraphQLView.as_view(), name="graphql"),
{%- endif %}
    # Last: any other /api/ URL is a problem-details 404, even under DEBUG (`make run`),
    # where Django would answer its HTML debug page. (So /api/ URLs are never redirected
    # to add a missing slash: a client gets the 404 rather than a lost POST body.)
    re_path(r"^api/", page_not_found, name="api-not-found"),
]

# Errors outside DRF views answer in the same problem-details JSON as the API.
handler400 = "{{ cookiecutter.project_slug }}.core.api.errors.bad_request"
handler403 = "{{ cookiecutter.project_slug }}.core.api.errors.permission_denied"
handler404 = "{{ cookiecutter.project_slug }}.core.api.errors.page_not_found"
handler500 = "{{ cookiecutter.project_slug }}.core.api.errors.server_error"
