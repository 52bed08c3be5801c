import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("v1:users:me")


def test_me_returns_the_authenticated_user(auth_client, user):
    response = auth_client.get(URL)
    assert response.status_code == 200
    assert response.json()["username"] == user.username
    assert "password" not in response.json()


def test_me_requires_authentication(api_client):
    assert api_client.get(URL).status_code in (401, 403)


def test_patch_updates_only_the_given_fields(auth_client, user):
    response = auth_client.patch(URL, {"first_name": "Ada"}, format="json")
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.first_name == "Ada"
    assert user.email == response.json()["email"]


def test_patch_cannot_change_the_username(auth_client, user):
    original = user.username
    auth_client.patch(URL, {"username": "hacker"}, format="json")
    user.refresh_from_db()
    assert user.username == original


def test_patch_rejects_an_email_taken_by_another_user(auth_client):
    UserFactory.create(email="taken@example.com")
    response = auth_client.patch(URL, {"email": "TAKEN@example.com"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "A user with this email already exists."


def test_session_login_works_for_the_admin(client, user):
    user.is_staff = True
    user.is_superuser = True
    user.save()
    client.force_login(user)
    response = client.get(f"/{settings.ADMIN_URL}")
    assert response.status_code == 200


def test_a_user_without_an_email_is_answered_as_the_schema_says(auth_client, user, api_client):
    # Found by the fuzzer: "" is a valid email here (the model allows a blank one), but the
    # document said every email was an address.
    response = auth_client.patch(reverse("v1:users:me"), {"email": ""})
    assert response.status_code == 200
    assert response.json()["email"] == ""
    document = api_client.get(reverse("schema"), {"format": "json"}).json()
    email = document["components"]["schemas"]["UserOutput"]["properties"]["email"]
    assert {"type": "string", "maxLength": 0} in email["anyOf"]
