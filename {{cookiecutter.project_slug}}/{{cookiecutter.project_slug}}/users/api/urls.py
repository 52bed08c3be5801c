from django.urls import path
{%- if cookiecutter.use_async == "y" %}

from .views import UserMeView, UserStatsView
{%- else %}

from .views import UserMeView
{%- endif %}

app_name = "users"

urlpatterns = [
    path("me/", UserMeView.as_view(), name="me"),
{%- if cookiecutter.use_async == "y" %}
    path("stats/", UserStatsView.as_view(), name="stats"),
{%- endif %}
]
