import pytest

from config.flower import flower_environment


@pytest.mark.parametrize(
    "credentials",
    [
        {},
        {"FLOWER_USER": "admin"},
        {"FLOWER_PASSWORD": "s3cret-enough"},
        {"FLOWER_USER": "admin", "FLOWER_PASSWORD": ""},
        {"FLOWER_USER": "admin", "FLOWER_PASSWORD": "change-me"},
    ],
)
def test_flower_refuses_to_start_without_basic_auth(credentials):
    with pytest.raises(SystemExit, match="refuses to start without basic auth"):
        flower_environment({"PATH": "/usr/bin", **credentials})


def test_flower_gets_the_credentials_as_its_own_basic_auth_option():
    env = flower_environment(
        {"PATH": "/usr/bin", "FLOWER_USER": "admin", "FLOWER_PASSWORD": "s3cret-enough"}
    )
    assert env["FLOWER_BASIC_AUTH"] == "admin:s3cret-enough"
    assert env["PATH"] == "/usr/bin"
