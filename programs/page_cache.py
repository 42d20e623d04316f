"""Parts of pages rendered once and then read from the cache.

`shared`: what is the same for everyone asking with the same address, on the library and
program pages: no CSRF token, no CSP nonce, nothing of one person's (their own exercises and
programs are rendered around the cached parts, every time). A key carries the library's
version (programs.library_changes moves it on), the language and what the page varies on,
such as the filters; old versions' entries are never read again and expire on their own.

`personal`: what one person recorded or made, as a page shows it (their history's records,
their goals, their own programs on the program list), under a key that carries their id and
their records' version (programs.records_changes moves it on) as well: never read for
anyone else, never read again once they record or change something.
"""

import hashlib
import logging
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import get_language

from backcare import gzip
from programs.models import LibraryVersion, RecordsVersion

log = logging.getLogger(__name__)
TIMEOUT = 3600


def library_version(request: HttpRequest) -> str:
    """The library's version, read once per request."""
    if not hasattr(request, "library_version"):
        request.library_version = LibraryVersion.current()
    return request.library_version


def fragment_key(name: str, version: str, varies_on: tuple) -> str:
    digest = hashlib.blake2b(repr(varies_on).encode(), digest_size=16).hexdigest()
    # "v2": entries hold their parts' compressed forms too (backcare/gzip.py).
    return f"page:v2:{name}:{version}:{get_language()}:{digest}"


def shared[T](request: HttpRequest, name: str, varies_on: tuple, render: Callable[[], T]) -> T:
    """What render() makes, from the cache when an earlier request already made it."""
    return _cached(request, fragment_key(name, library_version(request), varies_on), name, render)


def personal[T](request: HttpRequest, name: str, varies_on: tuple, render: Callable[[], T]) -> T:
    """What render() makes of the signed-in person's records, from the cache when an
    earlier request of theirs made it since they last recorded anything.

    The version is read before render() reads the records: what is cached under a version
    is never older than it."""
    user_id = request.user.pk
    version = f"{library_version(request)}:{user_id}:{RecordsVersion.of(user_id)}"
    return _cached(request, fragment_key(f"person:{name}", version, varies_on), name, render)


def _cached[T](request: HttpRequest, key: str, name: str, render: Callable[[], T]) -> T:
    """When the cache cannot be reached the part is rendered afresh: slower, never wrong.

    Kept with the compressed form of each large text in it, which the answer's gzip takes
    as it is (backcare/gzip.py)."""
    try:
        found = cache.get(key)
    except Exception:  # any backend's connection error
        log.warning("Cache unreachable; rendering %s without it", name, exc_info=True)
        return render()
    if found is None:
        made = render()
        found = (made, [(text, gzip.packed(text)) for text in _large_texts(made)])
        try:
            cache.set(key, found, TIMEOUT)
        except Exception:
            log.warning("Cache unreachable; %s not stored", name, exc_info=True)
    made, packed = found
    request.packed_parts = [*getattr(request, "packed_parts", ()), *packed]
    return made


def _large_texts(made) -> list[str]:
    """The texts worth keeping compressed: a part is one text, or a tuple or dict of them."""
    if isinstance(made, dict):
        made = tuple(made.values())
    values = made if isinstance(made, tuple) else (made,)
    return [v for v in values if isinstance(v, str) and len(v) >= gzip.SMALLEST_PART]
