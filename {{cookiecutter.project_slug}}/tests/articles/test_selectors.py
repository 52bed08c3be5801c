import pytest
from django.contrib.auth.models import AnonymousUser

from {{ cookiecutter.project_slug }}.articles.models import Article
from {{ cookiecutter.project_slug }}.articles.selectors import (
    article_detail_get,
    article_get,
    article_list,
    comment_list,
)

from tests.articles.factories import ArticleFactory, CommentFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_anonymous_readers_see_only_published_articles():
    published = ArticleFactory.create()
    ArticleFactory.create(status=Article.Status.DRAFT)
    assert list(article_list(viewer=AnonymousUser())) == [published]


def test_an_author_sees_their_own_drafts_but_nobody_elses(user):
    own_draft = ArticleFactory.create(author=user, status=Article.Status.DRAFT)
    ArticleFactory.create(status=Article.Status.DRAFT)
    published = ArticleFactory.create()
    assert set(article_list(viewer=user)) == {own_draft, published}


def test_article_list_counts_comments_and_orders_newest_first():
    older = ArticleFactory.create()
    newer = ArticleFactory.create()
    CommentFactory.create_batch(3, article=older)
    articles = list(article_list(viewer=AnonymousUser()))
    assert articles == [newer, older]
    assert [article.comment_count for article in articles] == [0, 3]  # type: ignore[attr-defined]


def test_article_list_prefetches_tags_by_name(django_assert_num_queries):
    ArticleFactory.create(tags=[TagFactory.create(name="b"), TagFactory.create(name="a")])
    with django_assert_num_queries(2):
        (article,) = article_list(viewer=AnonymousUser())
        assert [tag.name for tag in article.tags.all()] == ["a", "b"]
        assert article.author.username


def test_article_detail_get_hides_other_users_drafts(user):
    draft = ArticleFactory.create(status=Article.Status.DRAFT)
    assert article_detail_get(article_id=draft.pk, viewer=user) is None
    assert article_get(article_id=draft.pk, viewer=user) is None
    assert article_detail_get(article_id=draft.pk, viewer=draft.author) == draft
    assert article_get(article_id=draft.pk, viewer=draft.author) == draft


def test_comment_list_is_oldest_first_with_authors(django_assert_num_queries):
    article = ArticleFactory.create()
    first, second = CommentFactory.create_batch(2, article=article)
    CommentFactory.create()  # another article's
    with django_assert_num_queries(1):
        comments = list(comment_list(article=article))
        assert [comment.author.username for comment in comments]
    assert comments == [first, second]
