from django.urls import path

from {{ cookiecutter.project_slug }}.articles.api.views import (
    ArticleCommentListCreateView,
    ArticleDetailView,
    ArticleListCreateView,
)

app_name = "articles"

urlpatterns = [
    path("", ArticleListCreateView.as_view(), name="list"),
    path("<int:pk>/", ArticleDetailView.as_view(), name="detail"),
    path("<int:article_id>/comments/", ArticleCommentListCreateView.as_view(), name="comments"),
]
