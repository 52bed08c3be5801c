"""Reads of users: every queryset the API serves is built here."""

from datetime import datetime, timedelta
from typing import TypedDict

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from {{ cookiecutter.project_slug }}.users.models import User

USER_STATS_CACHE_KEY = "users:stats"
# Dashboards poll this; a minute-old count is fine and spares the database a table scan.
USER_STATS_CACHE_SECONDS = 60
RECENT_SIGNUP_DAYS = 7


class UserStats(TypedDict):
    total: int
    active: int
    staff: int
    joined_recently: int
    recent_days: int
    counted_at: datetime


async def user_stats() -> UserStats:
    """Counts of users, from the cache when fresh; async end to end (ORM and cache)."""
    cached: UserStats | None = await cache.aget(USER_STATS_CACHE_KEY)
    if cached is not None:
        return cached
    now = timezone.now()
    counts = await User.objects.aaggregate(
        total=Count("pk"),
        active=Count("pk", filter=Q(is_active=True)),
        staff=Count("pk", filter=Q(is_staff=True)),
        joined_recently=Count(
            "pk", filter=Q(date_joined__gte=now - timedelta(days=RECENT_SIGNUP_DAYS))
        ),
    )
    stats = UserStats(
        total=counts["total"],
        active=counts["active"],
        staff=counts["staff"],
        joined_recently=counts["joined_recently"],
        recent_days=RECENT_SIGNUP_DAYS,
        counted_at=now,
    )
    await cache.aset(USER_STATS_CACHE_KEY, stats, timeout=USER_STATS_CACHE_SECONDS)
    return stats
