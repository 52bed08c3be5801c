"""The bearer token's user from the shared cache: a safe API request reads no table.

A valid access token names its user, but the API still needs the row (is the account
active; the profile /users/me/ shows). From a cache every instance shares, a GET costs one
cache round trip instead of a query; the settings turn it on only with such a cache
(USER_ROW_CACHE_SECONDS). Writes always load the row from the database, so no request
saves a cached copy over newer data.

Every save or delete of a user forgets the row, at once and again when its transaction
commits, so the next request sees the change. A row cached by a read racing that change,
a forget lost to a cache outage, or a change that sends no signal (QuerySet.update())
lives at most settings.USER_ROW_CACHE_SECONDS. The password hash is never cached
(deferred: nothing on a bearer GET reads it).
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from {{ cookiecutter.project_slug }}.users.models import User


def user_row_key(user_id: int | str) -> str:
    return f"users:row:{user_id}"


def user_row_cached(*, user_id: int | str) -> User | None:
    """The active user `user_id`, from the cache or else the database; None otherwise.

    On a miss the row is loaded and, if the account is active, cached; `add` keeps a row
    another request cached after a later change from being overwritten by this one.
    """
    key = user_row_key(user_id)
    user = cache.get(key)
    if isinstance(user, User):
        return user
    user = User.objects.defer("password").filter(pk=user_id).first()
    if user is None or not user.is_active:
        return None
    cache.add(key, user, timeout=settings.USER_ROW_CACHE_SECONDS)
    return user


def user_row_forget(*, user_id: int | str) -> None:
    """Drop the cached row now and after the current transaction commits.

    Now: the next request of this one's process sees the change; after the commit: a row
    another request cached from the database before the commit goes too.
    """
    key = user_row_key(user_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key), robust=True)
