"""Who may do what, as on the REST API: anonymous reads, signed-in writes, authors edit."""

from strawberry_django.permissions import IsAuthenticated

# REST's words for the same refusal, so a client sees one message for one problem.
NOT_AUTHENTICATED = "Authentication credentials were not provided."


def login_required() -> IsAuthenticated:
    """Field extension: refuse the field to anonymous users."""
    return IsAuthenticated(message=NOT_AUTHENTICATED, fail_silently=False, use_directives=False)
