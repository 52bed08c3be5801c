import pytest

from {{ cookiecutter.project_slug }}.core.exceptions import InvalidInputError
from {{ cookiecutter.project_slug }}.users.services import user_create, user_update

pytestmark = pytest.mark.django_db


def test_user_create_hashes_the_password_and_lowercases_the_email():
    user = user_create(username="ada", password="s3cret-pass-phrase", email="Ada@Example.com")
    assert user.email == "ada@example.com"
    assert user.check_password("s3cret-pass-phrase")
    assert user.password != "s3cret-pass-phrase"


def test_user_create_rejects_a_duplicate_username():
    user_create(username="ada", password="s3cret-pass-phrase")
    with pytest.raises(InvalidInputError):
        user_create(username="ada", password="other-pass-phrase")


def test_user_update_refuses_fields_that_are_not_editable(user):
    with pytest.raises(ValueError, match="is_staff"):
        user_update(user=user, data={"is_staff": True})
