"""Django's PostgreSQL backend, with a health check that pings only idle connections."""
