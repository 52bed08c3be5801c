from typing import Any

import factory
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from {{ cookiecutter.project_slug }}.articles.models import Article, Comment, Tag

from tests.factories import UserFactory


class TagFactory(DjangoModelFactory[Tag]):
    class Meta:
        model = Tag
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"tag{n}")


class ArticleFactory(DjangoModelFactory[Article]):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Article {n}")
    slug = factory.LazyAttribute(lambda article: slugify(article.title))
    body = factory.Faker("paragraph")
    status = Article.Status.PUBLISHED
    author = factory.SubFactory(UserFactory)

    @factory.post_generation  # type: ignore[untyped-decorator]
    def tags(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        """`ArticleFactory(tags=[tag, ...])` or `ArticleFactory(tags=3)` for three new tags."""
        if not create or not extracted:
            return
        tags = TagFactory.create_batch(extracted) if isinstance(extracted, int) else extracted
        self.tags.set(tags)


class CommentFactory(DjangoModelFactory[Comment]):
    class Meta:
        model = Comment

    article = factory.SubFactory(ArticleFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Faker("sentence")
