"""What a write must look like, whichever interface it comes through.

The REST API, and any other interface, validates its input here before it calls a
service, so every interface applies the same rules and answers with the same messages;
the services then check what only the database can tell (e.g. a slug that is taken).
"""

from rest_framework import serializers

from {{ cookiecutter.project_slug }}.articles.models import Article, Comment


class ArticleCreateInputSerializer(serializers.Serializer[Article]):
    title = serializers.CharField(max_length=200)
    slug = serializers.SlugField(
        max_length=200, required=False, help_text="Defaults to the title, slugified."
    )
    body = serializers.CharField(max_length=50_000)
    status = serializers.ChoiceField(choices=Article.Status.choices, default=Article.Status.DRAFT)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=50),
        max_length=10,
        required=False,
        help_text="Tag names; unknown tags are created.",
    )


class ArticleUpdateInputSerializer(ArticleCreateInputSerializer):
    """The same fields, all optional (PATCH); `tags` replaces the article's tags."""


class CommentCreateInputSerializer(serializers.Serializer[Comment]):
    body = serializers.CharField(max_length=5_000)
