"""The list endpoint is N+1-free: its query count does not grow with the page size.

Exact counts, so that a new N+1 (or a lost prefetch) fails the build. Anonymous: one
COUNT for the pagination, one query for the page (author joined, comments counted),
one for all of the page's tags. The cache is bypassed (each request is a MISS).
"""

import pytest
from django.urls import reverse

from tests.articles.endpoints import LIST
from tests.articles.factories import ArticleFactory, CommentFactory, TagFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LIST_QUERIES = 3


@pytest.fixture
def fifty_busy_articles() -> None:
    tags = TagFactory.create_batch(5)
    commenters = UserFactory.create_batch(3)
    for _ in range(50):
        article = ArticleFactory.create(tags=tags, author=UserFactory.create())
        for commenter in commenters:
            CommentFactory.create(article=article, author=commenter)


@pytest.mark.parametrize("page_size", [1, 10, 50])
def test_list_query_count_does_not_grow_with_the_page(
    api_client, fifty_busy_articles, django_assert_num_queries, page_size
):
    with django_assert_num_queries(LIST_QUERIES):
        response = api_client.get(LIST, {"page_size": page_size})
    assert response["X-Cache"] == "MISS"
    results = response.json()["results"]
    assert len(results) == page_size
    assert all(len(item["tags"]) == 5 and item["comment_count"] == 3 for item in results)


@pytest.mark.parametrize("page_size", [1, 10, 50])
def test_filtered_list_query_count_does_not_grow_with_the_page(
    auth_client, fifty_busy_articles, django_assert_num_queries, page_size
):
    tag = TagFactory.create(name="featured")
    for article in ArticleFactory.create_batch(50):
        article.tags.add(tag)
    # +1: the tag filter looks the tag up first (an unknown tag is a 400).
    with django_assert_num_queries(LIST_QUERIES + 1):
        response = auth_client.get(LIST, {"page_size": page_size, "tag": "featured"})
    assert len(response.json()["results"]) == page_size


def test_comment_list_query_count_does_not_grow_with_the_page(
    api_client, django_assert_num_queries
):
    article = ArticleFactory.create()
    CommentFactory.create_batch(30, article=article)
    url = reverse("v1:articles:comments", args=[article.pk])
    counts = []
    for page_size in (1, 30):
        with django_assert_num_queries(3) as captured:  # article, COUNT, page with authors
            api_client.get(url, {"page_size": page_size})
        counts.append(len(captured))
    assert counts == [3, 3]


def test_detail_query_count(api_client, fifty_busy_articles, django_assert_num_queries):
    article = ArticleFactory.create(tags=5)
    CommentFactory.create_batch(5, article=article)
    with django_assert_num_queries(2):  # the article (author, comment count), its tags
        api_client.get(reverse("v1:articles:detail", args=[article.pk]))
