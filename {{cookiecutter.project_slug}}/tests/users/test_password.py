import pytest
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db
URL = reverse("v1:users:password-change")
NEW_PASSWORD = "a-brand-new-pass-phrase"


def test_password_change_sets_the_new_password(auth_client, user):
    response = auth_client.post(
        URL, {"current_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 204
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_change_needs_the_current_password(auth_client, user):
    response = auth_client.post(URL, {"current_password": "wrong", "new_password": NEW_PASSWORD})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "current_password",
            "message": "The current password is not correct.",
            "code": "invalid",
        }
    ]
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_password_change_refuses_a_weak_password(auth_client):
    response = auth_client.post(URL, {"current_password": DEFAULT_PASSWORD, "new_password": "123"})
    assert response.status_code == 400
    assert {error["field"] for error in response.json()["errors"]} == {"new_password"}


def test_password_change_keeps_the_current_session_logged_in(client, user):
    client.force_login(user)
    response = client.post(
        URL,
        {"current_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 204
    assert client.get(reverse("v1:users:me")).status_code == 200


def test_password_change_requires_authentication(api_client):
    response = api_client.post(URL, {"current_password": "x", "new_password": NEW_PASSWORD})
    assert response.status_code in (401, 403)
