from django.urls import path
{%- if cookiecutter.use_async == "y" %}

from .views import UserMeView, UserPasswordChangeView, UserStatsView
{%- else %}

from .views import UserMeView, UserPasswordChangeView
{%- endif %}

app_name = "users"

urlpatterns = [
    path("me/", UserMeView.as_view(), name="me"),
    path("me/password/", UserPasswordChangeView.as_view(), name="password-change"),
{%- if cookiecutter.use_async == "y" %}
    path("stats/", UserStatsView.as_view(), name="stats"),
{%- endif %}
]
