"""Articles with tags and comments: a small, normalized schema.

The list's default order, its orderings and its `author` filter are backed by the
indexes declared here, `tag` by the unique tag name and the tag table's join index, so
the list endpoint stays fast as the tables grow. The one exception is `search`, a
substring match no B-tree index serves (see filters.py).
"""

from django.conf import settings
from django.db import models


class Tag(models.Model):
    # Stored normalized (trimmed, lower case) by the services, so "Django" and "django"
    # are one tag; the unique index also serves the `?tag=` filter.
    name = models.CharField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(name=""), name="articles_tag_name_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    DUPLICATE_SLUG = "An article with this slug already exists."

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, error_messages={"unique": DUPLICATE_SLUG})
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # No single-column index: the (author, created) index below starts with author_id.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="articles",
        db_index=False,
    )
    tags = models.ManyToManyField(Tag, related_name="articles", blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        # `id` breaks ties, so pages never repeat or skip rows with equal timestamps.
        ordering = ["-created", "-id"]
        indexes = [
            # Everyone sees published articles: the default list order and ?ordering=title.
            models.Index(fields=["status", "-created", "-id"], name="articles_status_created_idx"),
            models.Index(fields=["status", "title", "id"], name="articles_status_title_idx"),
            # ?author= and an author's own drafts.
            models.Index(fields=["author", "-created", "-id"], name="articles_author_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "published"]),
                name="articles_article_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(title="") & ~models.Q(slug=""),
                name="articles_article_title_slug_not_empty",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Comment(models.Model):
    # No single-column index: the (article, created) index below starts with article_id.
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="comments", db_index=False
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    body = models.TextField()
    created = models.DateTimeField(auto_now_add=True)
    # Set once the article's author has been told about this comment, so the
    # notification is sent at most once however often it is retried.
    author_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created", "id"]
        indexes = [
            # An article's comments in order, and the comment counts of the list.
            models.Index(fields=["article", "created", "id"], name="articles_comment_article_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(body=""), name="articles_comment_body_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} on article {self.article_id}"
