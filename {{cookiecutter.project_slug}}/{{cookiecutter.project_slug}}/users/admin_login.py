"""The admin site's login lockout (django-axes; see config/settings/components/auth.py).

Only the admin's login is guarded here: failures of any other login (a view that calls
`authenticate()`{% if cookiecutter.use_jwt == "y" %}, the API's token endpoint with its own throttles{% endif %}) are neither recorded nor
locked out by axes.
"""

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from django.http import HttpRequest
from rest_framework.throttling import BaseThrottle


def client_address(request: HttpRequest) -> str:
    """The client's address, as the API's throttles count it.

    Behind DJANGO_NUM_PROXIES proxies it is the address the nearest proxy saw; with none,
    the connection's own: a client cannot choose it with a forged X-Forwarded-For.
    """
    return BaseThrottle().get_ident(request)  # type: ignore[arg-type]


class AdminLoginHandler(AxesDatabaseHandler):
    """axes' database handler, for logins on the admin site only.

    AXES_ONLY_ADMIN_SITE stops axes refusing other logins, but not recording their
    failures: without this, five wrong passwords elsewhere would lock the admin's login
    out (and the fifth answer there would be axes' lockout page).
    """

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
    ) -> None:
        if request is not None and self.is_admin_request(request):
            super().user_login_failed(sender, credentials, request, **kwargs)

    def user_logged_in(self, sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
        if self.is_admin_request(request):
            super().user_logged_in(sender, request, user, **kwargs)

    def user_logged_out(self, sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
        if self.is_admin_request(request):
            super().user_logged_out(sender, request, user, **kwargs)
