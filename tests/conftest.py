import pytest

from programs.library_loader import load_library
from tests.factories import PASSWORD, UserFactory


@pytest.fixture
def library(db):
    """The real exercise library and curated programs, as `make run` loads them."""
    load_library()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def stranger(db):
    return UserFactory()


@pytest.fixture
def user_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def password() -> str:
    return PASSWORD
