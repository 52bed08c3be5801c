"""Articles over GraphQL: REST's visibility, filters, permissions and services."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from {{ cookiecutter.project_slug }}.articles.filters import ORDERINGS
from {{ cookiecutter.project_slug }}.articles.models import Article, Comment
from {{ cookiecutter.project_slug }}.graphql.articles import ArticleOrdering

from tests.articles.factories import ArticleFactory, CommentFactory, TagFactory
from tests.factories import UserFactory
from tests.graphql.conftest import messages

pytestmark = pytest.mark.django_db

ARTICLES = """
query Articles($tag: String, $author: String, $search: String, $ordering: ArticleOrdering,
               $limit: Int, $offset: Int! = 0) {
  articles(tag: $tag, author: $author, search: $search, ordering: $ordering,
           pagination: {limit: $limit, offset: $offset}) {
    totalCount
    pageInfo { limit offset }
    results {
      id title slug status created
      author { id username }
      tags
      commentCount
      comments { body author { username } }
    }
  }
}
"""
ARTICLE = """
query Article($id: ID!) {
  article(id: $id) { title body tags commentCount comments { body author { username } } }
}
"""
CREATE_ARTICLE = """
mutation Create($input: CreateArticleInput!) {
  createArticle(input: $input) { id title slug status tags commentCount author { username } }
}
"""
CREATE_COMMENT = """
mutation Comment($input: CreateCommentInput!) {
  createComment(input: $input) { id body author { username } }
}
"""


def titles(result) -> list[str]:
    return [article["title"] for article in result["data"]["articles"]["results"]]


def busy_articles(count: int) -> list[Article]:
    """Articles with several tags and comments each: what an N+1 would multiply."""
    tags = TagFactory.create_batch(3)
    articles = ArticleFactory.create_batch(count, tags=tags)
    for article in articles:
        CommentFactory.create_batch(2, article=article)
    return articles


# --- Reads ------------------------------------------------------------------------


def test_the_list_nests_author_tags_comment_count_and_comments(graphql):
    article = ArticleFactory.create(tags=[TagFactory.create(name="django")])
    CommentFactory.create(article=article, body="First!")
    result = graphql.execute(ARTICLES)
    assert "errors" not in result
    page = result["data"]["articles"]
    assert page["totalCount"] == 1
    assert page["pageInfo"] == {"limit": 20, "offset": 0}
    (shown,) = page["results"]
    assert shown["id"] == str(article.pk)
    assert shown["status"] == "PUBLISHED"
    assert shown["author"] == {"id": str(article.author.pk), "username": article.author.username}
    assert shown["tags"] == ["django"]
    assert shown["commentCount"] == 1
    assert shown["comments"][0]["body"] == "First!"


def test_anonymous_readers_see_only_published_articles(graphql):
    ArticleFactory.create(title="Out", status=Article.Status.PUBLISHED)
    ArticleFactory.create(title="Draft", status=Article.Status.DRAFT)
    assert titles(graphql.execute(ARTICLES)) == ["Out"]


def test_authors_also_see_their_own_drafts_but_nobody_elses(user_graphql, user):
    ArticleFactory.create(title="Mine", author=user, status=Article.Status.DRAFT)
    ArticleFactory.create(title="Theirs", status=Article.Status.DRAFT)
    assert titles(user_graphql.execute(ARTICLES)) == ["Mine"]


def test_filters_and_ordering_work_as_on_the_rest_api(graphql):
    ada = UserFactory.create(username="ada")
    django = TagFactory.create(name="django")
    ArticleFactory.create(title="B tagged", tags=[django])
    ArticleFactory.create(title="A by ada", author=ada, body="about graphs")
    ArticleFactory.create(title="C plain")
    assert titles(graphql.execute(ARTICLES, {"tag": "django"})) == ["B tagged"]
    assert titles(graphql.execute(ARTICLES, {"author": "ada"})) == ["A by ada"]
    assert titles(graphql.execute(ARTICLES, {"search": "GRAPHS"})) == ["A by ada"]
    ordered = graphql.execute(ARTICLES, {"ordering": "TITLE"})
    assert titles(ordered) == ["A by ada", "B tagged", "C plain"]


def test_the_ordering_choices_are_the_rest_ones():
    assert {ordering.value for ordering in ArticleOrdering} == set(ORDERINGS)


def test_an_unknown_tag_is_an_error_naming_the_argument(graphql):
    result = graphql.execute(ARTICLES, {"tag": "nope"})
    assert result["data"] is None
    assert messages(result) == ["tag: There is no tag with this name."]
    error = result["errors"][0]
    assert error["extensions"]["code"] == "invalid"
    assert error["extensions"]["errors"][0]["field"] == "tag"


def test_pagination_pages_and_caps_the_page_size(graphql):
    ArticleFactory.create_batch(3)
    page = graphql.execute(ARTICLES, {"limit": 2, "offset": 2})["data"]["articles"]
    assert page["totalCount"] == 3
    assert page["pageInfo"] == {"limit": 2, "offset": 2}
    assert len(page["results"]) == 1
    capped = graphql.execute(ARTICLES, {"limit": 1000})["data"]["articles"]
    assert capped["pageInfo"]["limit"] == 100


def test_the_detail_shows_the_body_and_comments_oldest_first(graphql):
    article = ArticleFactory.create()
    CommentFactory.create(article=article, body="one")
    CommentFactory.create(article=article, body="two")
    result = graphql.execute(ARTICLE, {"id": article.pk})
    shown = result["data"]["article"]
    assert shown["body"] == article.body
    assert [comment["body"] for comment in shown["comments"]] == ["one", "two"]
    assert shown["commentCount"] == 2


# Digits of other kinds ("¹", Arabic-Indic) and what int() alone would accept (" 1", "+1").
NOT_IDS = ["abc", "-1", "99999999999999999999999", "¹", "\u0661", " 1", "+1", "1_0"]


@pytest.mark.parametrize("article_id", ["999999", *NOT_IDS])
def test_an_unknown_id_is_null_not_an_error(graphql, article_id, caplog):
    ArticleFactory.create(pk=1)
    ArticleFactory.create(pk=10)
    assert graphql.execute(ARTICLE, {"id": article_id}) == {"data": {"article": None}}
    assert [record for record in caplog.records if record.levelname == "ERROR"] == []


def test_another_users_draft_is_null_as_if_it_did_not_exist(user_graphql):
    draft = ArticleFactory.create(status=Article.Status.DRAFT)
    assert user_graphql.execute(ARTICLE, {"id": draft.pk}) == {"data": {"article": None}}


def test_authors_are_shown_without_their_email(graphql):
    result = graphql.execute("{ articles { results { author { email } } } }")
    assert messages(result) == ["Cannot query field 'email' on type 'Author'."]


# --- N+1 --------------------------------------------------------------------------


def count_queries(graphql, query: str, variables: dict[str, object]) -> int:
    with CaptureQueriesContext(connection) as queries:
        result = graphql.execute(query, variables)
    assert "errors" not in result, result
    return len(queries)


@pytest.mark.parametrize("size", [1, 10, 50])
def test_the_list_query_count_does_not_grow_with_the_page(graphql, size):
    busy_articles(size)
    # Count, articles (author joined, comments counted), their tags, their comments
    # (with authors): four, whether the page holds one article or fifty.
    assert count_queries(graphql, ARTICLES, {"limit": size}) == 4


def test_the_detail_query_count_does_not_grow_with_the_comments(graphql):
    few, many = busy_articles(2)
    CommentFactory.create_batch(20, article=many)
    assert count_queries(graphql, ARTICLE, {"id": few.pk}) == 3
    assert count_queries(graphql, ARTICLE, {"id": many.pk}) == 3


# --- Writes -----------------------------------------------------------------------


def test_create_article_calls_the_service_and_returns_the_article(user_graphql, user):
    result = user_graphql.execute(
        CREATE_ARTICLE, {"input": {"title": "Hello GraphQL", "body": "Hi.", "tags": ["Django"]}}
    )
    assert "errors" not in result, result
    created = result["data"]["createArticle"]
    assert created["slug"] == "hello-graphql"
    assert created["status"] == "DRAFT"
    assert created["tags"] == ["django"]  # normalized by the service, as over REST
    assert created["commentCount"] == 0
    assert created["author"] == {"username": user.username}
    assert Article.objects.get(pk=created["id"]).author == user


def test_create_article_requires_a_signed_in_user(graphql):
    result = graphql.execute(CREATE_ARTICLE, {"input": {"title": "Hi", "body": "There"}})
    assert result["data"] is None
    assert messages(result) == ["Authentication credentials were not provided."]
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("article_input", "message"),
    [
        ({"title": "", "body": "x"}, "title: This field may not be blank."),
        ({"title": "t" * 201, "body": "x"}, "title: Ensure this field has no more than 200"),
        ({"title": "Taken", "body": "x"}, "slug: An article with this slug already exists."),
        ({"title": "x", "body": "x", "tags": ["t"] * 11}, "tags: Ensure this field has no more"),
    ],
    ids=["blank-title", "long-title", "duplicate-slug", "too-many-tags"],
)
def test_invalid_article_input_is_an_error_with_the_rest_message(
    user_graphql, article_input, message
):
    ArticleFactory.create(title="Taken", slug="taken")
    result = user_graphql.execute(CREATE_ARTICLE, {"input": article_input})
    assert result["data"] is None
    assert messages(result)[0].startswith(message)
    assert result["errors"][0]["extensions"]["code"] == "invalid"
    assert Article.objects.count() == 1


def test_create_comment_on_a_published_article(user_graphql, user):
    article = ArticleFactory.create()
    result = user_graphql.execute(
        CREATE_COMMENT, {"input": {"articleId": article.pk, "body": "Nice."}}
    )
    assert result["data"]["createComment"]["body"] == "Nice."
    assert result["data"]["createComment"]["author"] == {"username": user.username}
    assert Comment.objects.get(article=article).author == user


def test_create_comment_requires_a_signed_in_user(graphql):
    article = ArticleFactory.create()
    result = graphql.execute(CREATE_COMMENT, {"input": {"articleId": article.pk, "body": "Hi"}})
    assert messages(result) == ["Authentication credentials were not provided."]
    assert not Comment.objects.exists()


@pytest.mark.parametrize("article_id", NOT_IDS)
def test_a_malformed_article_id_is_a_not_found_client_error(user_graphql, article_id, caplog):
    ArticleFactory.create(pk=1)
    ArticleFactory.create(pk=10)
    result = user_graphql.execute(
        CREATE_COMMENT, {"input": {"articleId": article_id, "body": "Hi"}}
    )
    assert messages(result) == ["There is no article with this id."]
    assert result["errors"][0]["extensions"]["code"] == "not_found"
    assert [record for record in caplog.records if record.levelname == "ERROR"] == []
    assert not Comment.objects.exists()


@pytest.mark.parametrize("status", [Article.Status.DRAFT, None])
def test_nobody_comments_on_another_users_draft_or_a_missing_article(user_graphql, status):
    article_id = ArticleFactory.create(status=status).pk if status else 999999
    result = user_graphql.execute(
        CREATE_COMMENT, {"input": {"articleId": article_id, "body": "Hi"}}
    )
    assert messages(result) == ["There is no article with this id."]
    assert result["errors"][0]["extensions"]["code"] == "not_found"
    assert not Comment.objects.exists()


def test_a_blank_comment_is_refused(user_graphql):
    article = ArticleFactory.create()
    result = user_graphql.execute(CREATE_COMMENT, {"input": {"articleId": article.pk, "body": ""}})
    assert messages(result) == ["body: This field may not be blank."]


def test_a_graphql_write_invalidates_the_rest_response_cache(
    user_graphql, api_client, django_capture_on_commit_callbacks
):
    url = reverse("v1:articles:list")
    assert api_client.get(url)["X-Cache"] == "MISS"
    assert api_client.get(url)["X-Cache"] == "HIT"
    with django_capture_on_commit_callbacks(execute=True):  # the service invalidates on commit
        user_graphql.execute(
            CREATE_ARTICLE, {"input": {"title": "Fresh", "body": "x", "status": "PUBLISHED"}}
        )
    response = api_client.get(url)
    assert response["X-Cache"] == "MISS"
    assert [article["title"] for article in response.json()["results"]] == ["Fresh"]
