import factory
from factory.django import DjangoModelFactory, Password

from {{ cookiecutter.project_slug }}.users.models import User

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = Password(DEFAULT_PASSWORD)
