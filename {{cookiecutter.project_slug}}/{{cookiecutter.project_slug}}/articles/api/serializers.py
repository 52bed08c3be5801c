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


class CommentOutputSerializer(serializers.ModelSerializer[Comment]):
    author = AuthorOutputSerializer(read_only=True)

    class Meta:
        model = Comment
        fields = ("id", "author", "body", "created")
        read_only_fields = fields
