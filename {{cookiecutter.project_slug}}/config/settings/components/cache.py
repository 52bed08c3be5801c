"""The cache: process-local memory, unless an option module replaces it."""

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
