"""GraphQL (use_graphql): POST /graphql/, see the graphql package.

Lists page as on the REST API: 20 items unless the client asks for more, never more than
100 in one request.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from config.settings.components.core import INSTALLED_APPS

INSTALLED_APPS += ["strawberry_django"]
STRAWBERRY_DJANGO = {
    "PAGINATION_DEFAULT_LIMIT": 20,
    "PAGINATION_MAX_LIMIT": 100,
}
