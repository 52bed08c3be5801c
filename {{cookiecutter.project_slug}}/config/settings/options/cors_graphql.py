"""The GraphQL endpoint answers cross-origin requests like the API (use_cors with
use_graphql). Included after cors.py (option modules come in name order)."""

CORS_URLS_REGEX = r"^/(api|graphql)/"
