import pytest

from tests.articles.factories import ArticleFactory, CommentFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("factory", [TagFactory, ArticleFactory, CommentFactory])
def test_factory_builds_a_valid_saved_instance(factory):
    instance = factory.create()
    instance.full_clean()
    assert instance.pk is not None


def test_article_factory_attaches_tags():
    article = ArticleFactory.create(tags=3)
    assert article.tags.count() == 3
    tag = TagFactory.create(name="django")
    assert list(ArticleFactory.create(tags=[tag]).tags.all()) == [tag]
