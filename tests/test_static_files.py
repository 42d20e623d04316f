"""Static files as collected for production."""

import re

from django.core.management import call_command
from django.test import override_settings

HASHED = re.compile(r"[\w/]+\.[0-9a-f]{12}\.js")


def test_the_runners_modules_import_each_other_by_hashed_name(tmp_path):
    """A page then loads one release's modules together, whatever the browser cached."""
    storage = {"BACKEND": "backcare.static_storage.StaticStorage"}
    with override_settings(STATIC_ROOT=tmp_path, STORAGES={"staticfiles": storage}):
        call_command("collectstatic", "--noinput", "-v0")
    modules = [path for path in tmp_path.glob("js/**/*.js") if HASHED.fullmatch(path.name)]
    imports = {path: re.findall(r'from "(\.[^"]+)"', path.read_text()) for path in modules}
    assert any(imports.values())
    for path, imported in imports.items():
        for name in imported:
            assert HASHED.fullmatch(name.removeprefix("./")), f"{path.name} imports {name}"
            assert (path.parent / name).exists()
