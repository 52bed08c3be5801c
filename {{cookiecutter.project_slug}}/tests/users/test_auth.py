"""The JWT flow as a client lives it: log in, call the API, refresh, log out."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.throttling import ScopedRateThrottle
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import AccessToken

from {{ cookiecutter.project_slug }}.users.api.auth import LoginAccountThrottle

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

TOKEN_URL = reverse("v1:auth:token")
REFRESH_URL = reverse("v1:auth:token-refresh")
VERIFY_URL = reverse("v1:auth:token-verify")
LOGOUT_URL = reverse("v1:auth:logout")
ME_URL = reverse("v1:users:me")
PASSWORD_URL = reverse("v1:users:password-change")


def log_in(client, user, password=DEFAULT_PASSWORD):
    response = client.post(TOKEN_URL, {"username": user.username, "password": password})
    assert response.status_code == 200, response.content
    return response.json()


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def assert_problem(response, status, detail=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    if detail is not None:
        assert body["detail"] == detail
    return body


# --- Logging in -----------------------------------------------------------------------


def test_login_returns_an_access_and_a_refresh_token(api_client, user):
    tokens = log_in(api_client, user)
    assert set(tokens) == {"access", "refresh"}


def test_login_records_the_last_login(api_client, user):
    assert user.last_login is None
    log_in(api_client, user)
    user.refresh_from_db()
    assert user.last_login is not None


def test_tokens_carry_the_user_id_and_nothing_secret(api_client, user):
    tokens = log_in(api_client, user)
    claims = AccessToken(tokens["access"]).payload
    assert set(claims) == {"token_type", "exp", "iat", "jti", "user_id", "auth_time"}
    assert claims["user_id"] == str(user.pk)
    assert claims["auth_time"] == pytest.approx(timezone.now().timestamp(), abs=60)


def test_access_token_opens_a_protected_endpoint(api_client, user):
    tokens = log_in(api_client, user)
    response = api_client.get(ME_URL, headers=bearer(tokens["access"]))
    assert response.status_code == 200
    assert response.json()["username"] == user.username


def test_wrong_password_is_a_401_logged_without_the_password(api_client, user, caplog):
    response = api_client.post(
        TOKEN_URL, {"username": user.username, "password": "not-the-password-42"}
    )
    assert_problem(response, 401, "No active account found with the given credentials.")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "login_failed" in caplog.text
    assert user.username in caplog.text
    assert "not-the-password-42" not in caplog.text


def test_inactive_user_cannot_log_in(api_client):
    user = UserFactory.create(is_active=False)
    response = api_client.post(TOKEN_URL, {"username": user.username, "password": DEFAULT_PASSWORD})
    assert_problem(response, 401, "No active account found with the given credentials.")


def test_login_without_a_password_is_a_validation_error(api_client, user):
    body = assert_problem(api_client.post(TOKEN_URL, {"username": user.username}), 400)
    assert body["errors"][0]["field"] == "password"


def test_token_endpoint_is_throttled(api_client, user, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth": "3/minute"})
    bad_login = {"username": user.username, "password": "guess"}
    for _ in range(3):
        assert api_client.post(TOKEN_URL, bad_login).status_code == 401
    response = api_client.post(TOKEN_URL, bad_login)
    assert_problem(response, 429)
    assert "Retry-After" in response


def test_one_account_cannot_be_tried_from_many_addresses(api_client, user, monkeypatch):
    rates = {"auth": "1000/minute", "auth_account": "3/hour"}
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", rates)
    monkeypatch.setattr(LoginAccountThrottle, "THROTTLE_RATES", rates)
    bad_login = {"username": user.username, "password": "guess"}
    for number in range(3):
        response = api_client.post(TOKEN_URL, bad_login, REMOTE_ADDR=f"198.51.100.{number}")
        assert response.status_code == 401
    # A fourth address, another spelling of the name, then the right password: refused.
    shouting = {"username": user.username.upper(), "password": "guess"}
    assert_problem(api_client.post(TOKEN_URL, shouting, REMOTE_ADDR="198.51.100.9"), 429)
    right = {"username": user.username, "password": DEFAULT_PASSWORD}
    assert_problem(api_client.post(TOKEN_URL, right, REMOTE_ADDR="198.51.100.10"), 429)
    # Another account is not affected.
    other = UserFactory.create()
    log_in(api_client, other)


# --- Refreshing -----------------------------------------------------------------------


def test_refresh_returns_a_new_pair(api_client, user):
    tokens = log_in(api_client, user)
    response = api_client.post(REFRESH_URL, {"refresh": tokens["refresh"]})
    assert response.status_code == 200
    fresh = response.json()
    assert fresh["refresh"] != tokens["refresh"]
    assert api_client.get(ME_URL, headers=bearer(fresh["access"])).status_code == 200


def test_a_used_refresh_token_is_rejected(api_client, user):
    tokens = log_in(api_client, user)
    fresh = api_client.post(REFRESH_URL, {"refresh": tokens["refresh"]}).json()

    replay = api_client.post(REFRESH_URL, {"refresh": tokens["refresh"]})
    assert_problem(replay, 401, "Token is blacklisted")
    # The rotated token still works: the legitimate client is not locked out.
    assert api_client.post(REFRESH_URL, {"refresh": fresh["refresh"]}).status_code == 200


def test_refresh_works_while_an_expired_access_token_is_still_sent(api_client, user):
    tokens = log_in(api_client, user)
    with time_machine.travel(timezone.now() + api_settings.ACCESS_TOKEN_LIFETIME * 2, tick=False):
        response = api_client.post(
            REFRESH_URL, {"refresh": tokens["refresh"]}, headers=bearer(tokens["access"])
        )
    assert response.status_code == 200


def test_expired_refresh_token_is_rejected(api_client, user):
    tokens = log_in(api_client, user)
    later = timezone.now() + api_settings.REFRESH_TOKEN_LIFETIME + timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        response = api_client.post(REFRESH_URL, {"refresh": tokens["refresh"]})
    assert_problem(response, 401, "Token is expired")


def test_an_access_token_cannot_be_used_to_refresh(api_client, user):
    tokens = log_in(api_client, user)
    response = api_client.post(REFRESH_URL, {"refresh": tokens["access"]})
    assert_problem(response, 401, "Token has wrong type")


def test_refresh_for_a_deactivated_user_is_rejected(api_client, user):
    tokens = log_in(api_client, user)
    user.is_active = False
    user.save()
    response = api_client.post(REFRESH_URL, {"refresh": tokens["refresh"]})
    assert_problem(response, 401, "No active account found for the given token.")


def test_refresh_for_a_deleted_user_is_rejected(api_client, user):
    tokens = log_in(api_client, user)
    user.delete()
    response = api_client.post(REFRESH_URL, {"refresh": tokens["refresh"]})
    assert_problem(response, 401, "No active account found for the given token.")


# --- Logging out and changing the password -----------------------------------------------


def test_logout_revokes_the_refresh_token(api_client, user):
    tokens = log_in(api_client, user)
    assert api_client.post(LOGOUT_URL, {"refresh": tokens["refresh"]}).status_code == 204
    response = api_client.post(REFRESH_URL, {"refresh": tokens["refresh"]})
    assert_problem(response, 401, "Token is blacklisted")


def test_logout_with_a_garbage_token_is_a_401(api_client):
    assert_problem(api_client.post(LOGOUT_URL, {"refresh": "garbage"}), 401, "Token is invalid")


def test_password_change_revokes_every_refresh_token_of_the_user(api_client, user):
    phone = log_in(api_client, user)
    laptop = log_in(api_client, user)
    other_user = UserFactory.create()
    others = log_in(api_client, other_user)

    response = api_client.post(
        PASSWORD_URL,
        {"current_password": DEFAULT_PASSWORD, "new_password": "a-brand-new-pass-phrase"},
        headers=bearer(laptop["access"]),
    )
    assert response.status_code == 204

    for tokens in (phone, laptop):
        response = api_client.post(REFRESH_URL, {"refresh": tokens["refresh"]})
        assert_problem(response, 401, "Token is blacklisted")
    assert api_client.post(REFRESH_URL, {"refresh": others["refresh"]}).status_code == 200
    log_in(api_client, user, password="a-brand-new-pass-phrase")


def test_a_password_set_outside_the_api_revokes_refresh_tokens_too(api_client, user):
    """The admin's password form and `manage.py changepassword` call set_password()."""
    tokens = log_in(api_client, user)
    user.set_password("set-by-an-administrator")
    user.save()
    response = api_client.post(REFRESH_URL, {"refresh": tokens["refresh"]})
    assert_problem(response, 401, "Token is blacklisted")


def test_other_profile_changes_keep_the_refresh_tokens(api_client, user):
    tokens = log_in(api_client, user)
    user.first_name = "Ada"
    user.save()
    assert api_client.post(REFRESH_URL, {"refresh": tokens["refresh"]}).status_code == 200


# --- Access tokens and the Authorization header --------------------------------------


def test_expired_access_token_is_rejected(api_client, user):
    tokens = log_in(api_client, user)
    later = timezone.now() + api_settings.ACCESS_TOKEN_LIFETIME + timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        response = api_client.get(ME_URL, headers=bearer(tokens["access"]))
    assert_problem(response, 401, "Token is expired")
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_access_token_of_a_deactivated_user_is_rejected(api_client, user):
    tokens = log_in(api_client, user)
    user.is_active = False
    user.save()
    response = api_client.get(ME_URL, headers=bearer(tokens["access"]))
    assert_problem(response, 401, "User is inactive")


def test_a_refresh_token_is_not_an_access_token(api_client, user):
    tokens = log_in(api_client, user)
    response = api_client.get(ME_URL, headers=bearer(tokens["refresh"]))
    assert_problem(response, 401, "Token has wrong type")


def test_a_token_signed_with_another_key_is_rejected(api_client, user):
    tokens = log_in(api_client, user)
    header, payload, _ = tokens["access"].split(".")
    forged = f"{header}.{payload}.c2lnbmVkLWJ5LXNvbWVvbmUtZWxzZQ"
    assert_problem(api_client.get(ME_URL, headers=bearer(forged)), 401, "Token is invalid")


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer",
        "Bearer ",
        "Bearer a.b",
        "Bearer a.b.c",
        "Bearer not a token",
        "Bearer eyJhbGciOiJub25lIn0.eyJ1c2VyX2lkIjoiMSJ9.",
        "Basic xyz",
        "Basic",
        "Token abc",
        "bearer lowercase.scheme.name",
        "Bearer t\u00f6k\u00e9n.\u00e4.\u00fc",
        "Bearer \u4ee4\u724c",
        "\u4ee4\u724c",
        "Bearer " + "a" * 10_000,
    ],
)
def test_a_garbage_authorization_header_is_a_401_never_a_500(api_client, authorization):
    response = api_client.get(ME_URL, headers={"Authorization": authorization})
    assert_problem(response, 401)


def test_no_credentials_is_a_401_that_names_the_bearer_scheme(api_client):
    response = api_client.get(ME_URL)
    assert_problem(response, 401, "Authentication credentials were not provided.")
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


# --- Verifying --------------------------------------------------------------------------


def test_verify_accepts_a_valid_token(api_client, user):
    tokens = log_in(api_client, user)
    assert api_client.post(VERIFY_URL, {"token": tokens["access"]}).status_code == 200
    assert api_client.post(VERIFY_URL, {"token": tokens["refresh"]}).status_code == 200


def test_verify_rejects_revoked_and_garbage_tokens(api_client, user):
    tokens = log_in(api_client, user)
    api_client.post(LOGOUT_URL, {"refresh": tokens["refresh"]})
    response = api_client.post(VERIFY_URL, {"token": tokens["refresh"]})
    assert_problem(response, 401, "Token is blacklisted")
    assert_problem(api_client.post(VERIFY_URL, {"token": "a.b.c"}), 401, "Token is invalid")


# --- Session auth stays on for the admin and the browsable API ---------------------------


def test_the_admin_logs_in_with_a_session(client):
    admin = UserFactory.create(is_staff=True, is_superuser=True)
    login_url = f"/{settings.ADMIN_URL}login/"
    response = client.post(login_url, {"username": admin.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert client.get(f"/{settings.ADMIN_URL}").status_code == 200
    # The same session authenticates the API (the browsable API uses it).
    assert client.get(ME_URL).json()["username"] == admin.username


# --- OpenAPI --------------------------------------------------------------------------------


def test_schema_documents_the_auth_endpoints_and_the_bearer_scheme(api_client):
    schema = api_client.get(reverse("schema"), {"format": "json"}).json()
    scheme = schema["components"]["securitySchemes"]["jwtAuth"]
    assert scheme == {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    assert {"jwtAuth": []} in schema["paths"]["/api/v1/users/me/"]["get"]["security"]
    for path in ("token/", "token/refresh/", "token/verify/", "logout/"):
        operation = schema["paths"][f"/api/v1/auth/{path}"]["post"]
        assert "requestBody" in operation
        assert "401" in operation["responses"]
    login = schema["paths"]["/api/v1/auth/token/"]["post"]
    # Its own answers, and the problem details any body-taking, throttled operation
    # declares (core/api/schema.py).
    assert set(login["responses"]) == {"200", "400", "401", "413", "415", "429", "503"}
