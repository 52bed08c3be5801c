"""Settings shared by every environment, one module per concern (django-split-settings).

components/ holds what every service has, included in the order below; options/ holds
one module per option switched on when the service was generated, included after them
in name order. Deleting an option's module (and its code) is what switching it off is.
`local`, `test` and `production` override only what differs.
"""

from split_settings.tools import include

from .components import option_modules

include(
    "components/core.py",
    "components/database.py",
    "components/cache.py",
    "components/auth.py",
    "components/static.py",
    "components/drf.py",
    "components/logging.py",
    "components/email.py",
    "components/security.py",
    "components/health.py",
    *option_modules("options"),
)
