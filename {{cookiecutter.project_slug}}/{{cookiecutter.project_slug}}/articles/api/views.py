"""The article API: anonymous read, authenticated write, only the author edits.

Views stay thin: validate the input, call one service or selector, serialize. GET
responses go through the article cache (see api/cache.py) and carry `X-Cache: HIT|MISS`.
"""

from django.db.models import QuerySet
from django.http import Http404, HttpResponseBase
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from {{ cookiecutter.project_slug }}.articles.api.cache import CACHE_HEADER, article_cache_respond
from {{ cookiecutter.project_slug }}.articles.api.permissions import IsAuthorOrReadOnly
from {{ cookiecutter.project_slug }}.articles.api.serializers import (
    ArticleDetailOutputSerializer,
    ArticleListOutputSerializer,
    CommentOutputSerializer,
)
from {{ cookiecutter.project_slug }}.articles.filters import ArticleFilter
from {{ cookiecutter.project_slug }}.articles.inputs import (
    ArticleCreateInputSerializer,
    ArticleUpdateInputSerializer,
    CommentCreateInputSerializer,
)
from {{ cookiecutter.project_slug }}.articles.models import Article, Comment
from {{ cookiecutter.project_slug }}.articles.selectors import (
    article_detail_get,
    article_get,
    article_list,
    comment_list,
)
from {{ cookiecutter.project_slug }}.articles.services import (
    article_create,
    article_delete,
    article_update,
    comment_create,
)
from {{ cookiecutter.project_slug }}.users.current import current_user

CACHE_HEADER_PARAMETER = OpenApiParameter(
    CACHE_HEADER,
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    enum=["HIT", "MISS"],
    description="HIT when the response came from the cache, else MISS.",
    response=[200],
)


# The query parameters each view reads, so the cache keys on these only.
PAGE_PARAMETERS = ("page", "page_size")
LIST_PARAMETERS = (*ArticleFilter.base_filters, *PAGE_PARAMETERS)


def _article_for_response(request: Request, article: Article) -> Article:
    """The article re-read as the API shows it (fresh tags and comment count)."""
    shown = article_detail_get(article_id=article.pk, viewer=request.user)
    if shown is None:
        raise Http404
    return shown


class ArticleListCreateView(GenericAPIView[Article]):
    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = ArticleListOutputSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ArticleFilter

    def get_queryset(self) -> QuerySet[Article]:
        return article_list(viewer=self.request.user)

    @extend_schema(
        tags=["articles"],
        summary="List the articles you may read (published, and your own drafts)",
        responses=ArticleListOutputSerializer(many=True),
        parameters=[CACHE_HEADER_PARAMETER],
    )
    def get(self, request: Request) -> HttpResponseBase:
        return article_cache_respond(request, self._list, LIST_PARAMETERS)

    def _list(self) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(ArticleListOutputSerializer(page, many=True).data)

    @extend_schema(
        tags=["articles"],
        summary="Create an article",
        request=ArticleCreateInputSerializer,
        responses={201: ArticleDetailOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = ArticleCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        article = article_create(author=current_user(request), **serializer.validated_data)
        return Response(
            ArticleDetailOutputSerializer(_article_for_response(request, article)).data,
            status=status.HTTP_201_CREATED,
        )


class ArticleDetailView(GenericAPIView[Article]):
    permission_classes = [IsAuthenticatedOrReadOnly, IsAuthorOrReadOnly]
    serializer_class = ArticleDetailOutputSerializer

    def get_queryset(self) -> QuerySet[Article]:
        # Another user's draft is a 404, not a 403: its existence is nobody's business.
        return article_list(viewer=self.request.user)

    @extend_schema(
        tags=["articles"], summary="Read an article", parameters=[CACHE_HEADER_PARAMETER]
    )
    def get(self, request: Request, pk: int) -> HttpResponseBase:
        return article_cache_respond(
            request, lambda: Response(ArticleDetailOutputSerializer(self.get_object()).data)
        )

    @extend_schema(
        tags=["articles"],
        summary="Change an article (its author only)",
        request=ArticleUpdateInputSerializer,
        responses=ArticleDetailOutputSerializer,
    )
    def patch(self, request: Request, pk: int) -> Response:
        article = self.get_object()
        serializer = ArticleUpdateInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        article = article_update(article=article, data=dict(serializer.validated_data))
        return Response(ArticleDetailOutputSerializer(_article_for_response(request, article)).data)

    @extend_schema(
        tags=["articles"], summary="Delete an article (its author only)", responses={204: None}
    )
    def delete(self, request: Request, pk: int) -> Response:
        article_delete(article=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class ArticleCommentListCreateView(GenericAPIView[Comment]):
    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = CommentOutputSerializer

    def _article(self, article_id: int) -> Article:
        article = article_get(article_id=article_id, viewer=self.request.user)
        if article is None:
            raise Http404
        return article

    @extend_schema(
        tags=["articles"],
        summary="List an article's comments, oldest first",
        responses=CommentOutputSerializer(many=True),
        parameters=[CACHE_HEADER_PARAMETER],
    )
    def get(self, request: Request, article_id: int) -> HttpResponseBase:
        def build() -> Response:
            page = self.paginate_queryset(comment_list(article=self._article(article_id)))
            return self.get_paginated_response(CommentOutputSerializer(page, many=True).data)

        return article_cache_respond(request, build, PAGE_PARAMETERS)

    @extend_schema(
        tags=["articles"],
        summary="Comment on an article",
        request=CommentCreateInputSerializer,
        responses={201: CommentOutputSerializer},
    )
    def post(self, request: Request, article_id: int) -> Response:
        article = self._article(article_id)
        serializer = CommentCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = comment_create(
            article=article, author=current_user(request), **serializer.validated_data
        )
        return Response(CommentOutputSerializer(comment).data, status=status.HTTP_201_CREATED)
