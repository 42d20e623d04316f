import pytest
from hypothesis import settings as hypothesis_settings

from programs.library_loader import load_library
from tests.factories import PASSWORD, UserFactory


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with nothing cached: a page cached by another test's data never shows."""
    from django.core.cache import cache

    cache.clear()


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


# Hypothesis checks behaviour here, not speed: a loaded machine must not fail an example
# for taking longer than usual.
hypothesis_settings.register_profile("backcare", deadline=None)
hypothesis_settings.load_profile("backcare")
