from rest_framework import serializers

from {{ cookiecutter.project_slug }}.articles.models import Article, Comment, Tag
from {{ cookiecutter.project_slug }}.users.models import User


class AuthorOutputSerializer(serializers.ModelSerializer[User]):
    class Meta:
        model = User
        fields = ("id", "username")
        read_only_fields = fields


class ArticleListOutputSerializer(serializers.ModelSerializer[Article]):
    author = AuthorOutputSerializer(read_only=True)
    tags: serializers.SlugRelatedField[Tag] = serializers.SlugRelatedField(
        slug_field="name", many=True, read_only=True
    )
    comment_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Article
        fields: tuple[str, ...] = (
            "id",
            "title",
            "slug",
            "status",
            "author",
            "tags",
            "comment_count",
            "created",
            "updated",
        )
        read_only_fields = fields


class ArticleDetailOutputSerializer(ArticleListOutputSerializer):
    class Meta(ArticleListOutputSerializer.Meta):
        fields = (*ArticleListOutputSerializer.Meta.fields, "body")
        read_only_fields = fields


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


class CommentOutputSerializer(serializers.ModelSerializer[Comment]):
    author = AuthorOutputSerializer(read_only=True)

    class Meta:
        model = Comment
        fields = ("id", "author", "body", "created")
        read_only_fields = fields


class CommentCreateInputSerializer(serializers.Serializer[Comment]):
    body = serializers.CharField(max_length=5_000)
