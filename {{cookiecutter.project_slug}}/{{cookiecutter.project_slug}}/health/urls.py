from django.urls import path

from . import views

app_name = "health"

urlpatterns = [
    path("live/", views.health_live, name="live"),
    path("ready/", views.health_ready, name="ready"),
]
