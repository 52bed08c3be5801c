"""Readiness (/health/ready/): the dependencies it checks, by name (django-health-check).

Option modules add theirs (e.g. the broker); the health app runs them all concurrently.
"""

READINESS_CHECKS = {
    "database": "health_check.checks.Database",
    "cache": "health_check.checks.Cache",
}
