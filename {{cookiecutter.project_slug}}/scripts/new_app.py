"""Add a domain app in the project's style: `make app name=invoices`.

Writes {{ cookiecutter.project_slug }}/<name>/ (models, services, selectors, inputs, admin,
api/) and tests/<name>/ (factories; services, selectors and API tests), then registers the
app: INSTALLED_APPS in config/settings/components/core.py, its URLs under /api/v1/<name>/
in config/urls.py, and the import-linter layers in pyproject.toml. The model is named
after the app, singular (`invoices` -> `Invoice`; `model=Receipt` chooses another).
`make app` then writes the first migration and formats the new files. Standard library
only; it refuses a name that is taken, and changes nothing then.

    python scripts/new_app.py invoices [Invoice]
"""

import keyword
import re
import sys
from pathlib import Path
from string import Template

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "{{ cookiecutter.project_slug }}"
NAME = re.compile(r"^[a-z][a-z0-9_]*$")
MODEL = re.compile(r"^[A-Z][A-Za-z0-9]*$")
# Names an app must not take: the project's folders, and the labels of Django's apps.
RESERVED = {"config", "scripts", "tests", "docs", "admin", "auth", "contenttypes", "sessions"}
RESERVED |= {"messages", "staticfiles", "rest_framework"}

APP_FILES = {
    "__init__": "",
    "apps": """
from django.apps import AppConfig


class ${Model}sConfig(AppConfig):
    name = "${package}.${app}"
    label = "${app}"
    verbose_name = "${Title}"
""",
    "models": """
from django.db import models


class ${Model}(models.Model):
    name = models.CharField(max_length=200)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("-created", "-id")

    def __str__(self) -> str:
        return self.name
""",
    "selectors": '''
"""Reads of ${app}: every queryset the API serves is built here."""

from django.db.models import QuerySet

from ${package}.${app}.models import ${Model}


def ${model}_list() -> QuerySet[${Model}]:
    """Every ${model}, newest first."""
    return ${Model}.objects.order_by("-created", "-id")
''',
    "services": '''
"""Writes of ${app}: keyword-only, typed, one transaction each."""

from django.db import transaction

from ${package}.${app}.models import ${Model}
from ${package}.core.services import model_full_clean


@transaction.atomic
def ${model}_create(*, name: str) -> ${Model}:
    ${model} = ${Model}(name=name)
    model_full_clean(${model})
    ${model}.save()
    return ${model}
''',
    "inputs": '''
"""What a write must look like, whichever interface it comes through."""

from rest_framework import serializers

from ${package}.${app}.models import ${Model}


class ${Model}CreateInputSerializer(serializers.Serializer[${Model}]):
    name = serializers.CharField(max_length=200)
''',
    "admin": """
from django.contrib import admin

from ${package}.${app}.models import ${Model}


@admin.register(${Model})
class ${Model}Admin(admin.ModelAdmin[${Model}]):
    list_display = ("name", "created")
    search_fields = ("name",)
""",
    "migrations.__init__": "",
    "api.__init__": "",
    "api.serializers": """
from rest_framework import serializers

from ${package}.${app}.models import ${Model}


class ${Model}OutputSerializer(serializers.ModelSerializer[${Model}]):
    class Meta:
        model = ${Model}
        fields = ("id", "name", "created")
        read_only_fields = fields
""",
    "api.views": '''
"""The ${app} API (signed-in users). Views stay thin: validate, call one service or
selector, serialize."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from ${package}.${app}.api.serializers import ${Model}OutputSerializer
from ${package}.${app}.inputs import ${Model}CreateInputSerializer
from ${package}.${app}.models import ${Model}
from ${package}.${app}.selectors import ${model}_list
from ${package}.${app}.services import ${model}_create


class ${Model}ListCreateView(GenericAPIView[${Model}]):
    serializer_class = ${Model}OutputSerializer

    def get_queryset(self) -> QuerySet[${Model}]:
        return ${model}_list()

    @extend_schema(
        tags=["${app}"], summary="List ${app}", responses=${Model}OutputSerializer(many=True)
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(${Model}OutputSerializer(page, many=True).data)

    @extend_schema(
        tags=["${app}"],
        summary="Create one of ${app}",
        request=${Model}CreateInputSerializer,
        responses={201: ${Model}OutputSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = ${Model}CreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = ${model}_create(**serializer.validated_data)
        return Response(${Model}OutputSerializer(created).data, status=status.HTTP_201_CREATED)
''',
    "api.urls": """
from django.urls import path

from ${package}.${app}.api.views import ${Model}ListCreateView

app_name = "${app}"

urlpatterns = [
    path("", ${Model}ListCreateView.as_view(), name="list"),
]
""",
}

TEST_FILES = {
    "__init__": "",
    "factories": """
import factory
from factory.django import DjangoModelFactory

from ${package}.${app}.models import ${Model}


class ${Model}Factory(DjangoModelFactory[${Model}]):
    class Meta:
        model = ${Model}

    name = factory.Sequence(lambda n: f"${Model} {n}")
""",
    "test_services": """
import pytest

from ${package}.${app}.services import ${model}_create
from ${package}.core.exceptions import InvalidInputError

pytestmark = pytest.mark.django_db


def test_${model}_create_saves_a_valid_${model}():
    created = ${model}_create(name="First")
    assert created.pk is not None
    assert created.name == "First"


def test_${model}_create_refuses_an_empty_name():
    with pytest.raises(InvalidInputError):
        ${model}_create(name="")
""",
    "test_selectors": """
import pytest

from ${package}.${app}.selectors import ${model}_list

from tests.${app}.factories import ${Model}Factory

pytestmark = pytest.mark.django_db


def test_${model}_list_is_newest_first():
    older, newer = ${Model}Factory.create_batch(2)
    assert list(${model}_list()) == [newer, older]
""",
    "test_api": """
import pytest
from django.urls import reverse

from tests.${app}.factories import ${Model}Factory

pytestmark = pytest.mark.django_db


def test_anonymous_requests_are_refused(api_client):
    assert api_client.get(reverse("v1:${app}:list")).status_code in (401, 403)


def test_the_list_shows_each_${model}(auth_client):
    ${Model}Factory.create(name="Shown")
    response = auth_client.get(reverse("v1:${app}:list"))
    assert response.status_code == 200
    assert [item["name"] for item in response.json()["results"]] == ["Shown"]


def test_create_answers_the_new_${model}(auth_client):
    response = auth_client.post(reverse("v1:${app}:list"), {"name": "New"}, format="json")
    assert response.status_code == 201
    assert response.json()["name"] == "New"


def test_invalid_input_is_a_problem_details_400(auth_client):
    response = auth_client.post(reverse("v1:${app}:list"), {"name": ""}, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
""",
}


def model_name(app: str) -> str:
    """`invoices` -> `Invoice`, `line_items` -> `LineItem`: the app's name, singular."""
    singular = app[:-1] if app.endswith("s") and not app.endswith("ss") else app
    return "".join(part.capitalize() for part in singular.split("_") if part)


def refusal(app: str, model: str) -> str | None:
    """Why `app` (with model `model`) cannot be added, or None."""
    if not NAME.match(app) or keyword.iskeyword(app):
        return f"name={app!r}: an app name is a lowercase Python identifier, e.g. invoices"
    if app in RESERVED:
        return f"name={app!r} is taken by the project or by Django: choose another"
    if (ROOT / PACKAGE / app).exists() or (ROOT / "tests" / app).exists():
        return f"name={app!r}: {PACKAGE}/{app}/ or tests/{app}/ exists already"
    if not MODEL.match(model):
        return f"model={model!r}: a model name is a CamelCase identifier, e.g. Invoice"
    return None


def insert(path: Path, anchor: str, text: str, *, before: bool = False) -> None:
    """Insert `text` after (or before) the first line that is exactly `anchor`."""
    lines = path.read_text().splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.rstrip("\n") == anchor)
    lines.insert(index if before else index + 1, text)
    path.write_text("".join(lines))


def register(app: str) -> None:
    core = ROOT / "config" / "settings" / "components" / "core.py"
    insert(core, f'    "{PACKAGE}.users",', f'    "{PACKAGE}.{app}",\n')
    urls = ROOT / "config" / "urls.py"
    route = f'    path("{app}/", include("{PACKAGE}.{app}.api.urls")),\n'
    insert(urls, "api_v1 = [", route)
    pyproject = ROOT / "pyproject.toml"
    # The domain apps' layer: above users and core, below the interfaces.
    insert(pyproject, f'  "{PACKAGE}.users",', f'  "{PACKAGE}.{app}",\n', before=True)
    text = pyproject.read_text()
    containers = re.compile(r"^(containers = \[.*)\]$", re.MULTILINE)
    pyproject.write_text(containers.sub(rf'\1, "{PACKAGE}.{app}"]', text, count=1))


def write(folder: Path, files: dict[str, str], values: dict[str, str]) -> None:
    """Each module of `files` (dotted, relative to `folder`) from its template."""
    for module, template in files.items():
        path = folder / f"{module.replace('.', '/')}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(Template(template).substitute(values).lstrip("\n"))


def main(arguments: list[str]) -> int:
    if not arguments or len(arguments) > 2:
        print("Usage: make app name=invoices [model=Invoice]", file=sys.stderr)
        return 2
    app = arguments[0]
    model = arguments[1] if len(arguments) == 2 else model_name(app)
    if problem := refusal(app, model):
        print(problem, file=sys.stderr)
        return 2
    values = {
        "app": app,
        "Model": model,
        "model": re.sub(r"(?<!^)(?=[A-Z])", "_", model).lower(),
        "Title": app.replace("_", " ").capitalize(),
        "package": PACKAGE,
    }
    write(ROOT / PACKAGE / app, APP_FILES, values)
    write(ROOT / "tests" / app, TEST_FILES, values)
    register(app)
    print(f"Added {PACKAGE}/{app}/ and tests/{app}/; /api/v1/{app}/ lists and creates.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
