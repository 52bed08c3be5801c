"""Redis under test: the tests' own keys, never the developer's.

`make test` may run against the REDIS_URL that `make run` and `make worker` use. Django's
cache.clear() would empty that whole Redis database (FLUSHDB), so the tests keep their
keys under their own prefix, as the tests' database is test_<name>, and the autouse
fixture in tests/conftest.py deletes only those.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from config.settings.components.cache import CACHES

CACHES["default"]["KEY_PREFIX"] = "test_{{ cookiecutter.project_slug }}"
