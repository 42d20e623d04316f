"""The installable app: manifest, icons, service worker and offline page as served."""

import json
import re
import struct
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
CSS = (ROOT / "static" / "css" / "backcare.css").read_text()
HASHED = re.compile(r"\.[0-9a-f]{12}\.\w+$")


def png_size(path: str) -> tuple[int, int]:
    with open(path, "rb") as file:
        header = file.read(24)
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def static_file(url: str) -> str:
    found = finders.find(url.removeprefix("/static/"))
    assert found, f"{url} is not one of our static files"
    return found


def worker_settings(body: str) -> dict:
    first, _, _rest = body.partition("\n")
    assert first.startswith("const BACKCARE = ")
    assert first.endswith(";")
    return json.loads(first.removeprefix("const BACKCARE = ").removesuffix(";"))


def test_the_manifest_describes_an_installable_app(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    assert response["Cache-Control"] == "no-cache"
    manifest = json.loads(response.content)
    assert manifest["name"] == "BackCare"
    assert manifest["short_name"] == "BackCare"
    assert manifest["description"]
    assert (manifest["start_url"], manifest["scope"], manifest["id"]) == ("/", "/", "/")
    assert manifest["display"] == "standalone"


def test_the_manifest_colours_are_the_stylesheets_own(client):
    manifest = client.get(reverse("manifest")).json()
    light = CSS.split("@media (prefers-color-scheme: dark)")[0]
    assert f"--pico-background-color: {manifest['background_color']};" in light
    assert f"--bc-surface: {manifest['theme_color']};" in light


def test_every_icon_exists_at_the_size_it_states(client):
    icons = client.get(reverse("manifest")).json()["icons"]
    for icon in icons:
        path = static_file(icon["src"])
        if icon["type"] == "image/png":
            width, height = png_size(path)
            assert icon["sizes"] == f"{width}x{height}", icon["src"]
    pngs = {(icon["sizes"], icon["purpose"]) for icon in icons if icon["type"] == "image/png"}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= pngs


def test_pages_link_the_manifest_the_theme_colours_and_the_apple_icon(client):
    page = client.get(reverse("programs:library")).content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    light, dark = CSS.split("@media (prefers-color-scheme: dark)", 1)
    themes = dict(
        re.findall(
            r'name="theme-color" content="(#\w+)" media="\(prefers-color-scheme: (\w+)\)"', page
        )
    )
    assert set(themes.values()) == {"light", "dark"}
    for colour, scheme in themes.items():
        assert f"--bc-surface: {colour};" in (light if scheme == "light" else dark)
    apple = re.search(r'<link rel="apple-touch-icon" href="([^"]+)">', page).group(1)
    assert png_size(static_file(apple)) == (180, 180)
    assert '<script type="module" src="/static/js/install.js"></script>' in page


def test_the_service_worker_is_served_from_the_root_as_script(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert "Service-Worker-Allowed" not in response
    body = response.content.decode()
    assert body.endswith((ROOT / "static" / "js" / "sw.js").read_text())


def test_everything_the_worker_keeps_at_install_is_there(client):
    config = worker_settings(client.get("/sw.js").content.decode())
    assert config["offline"] in config["precache"]
    for url in config["precache"]:
        if url.startswith(config["static"]):
            static_file(url)
        else:
            assert client.get(url).status_code == 200, url


def test_the_workers_runner_pattern_is_the_runners_address():
    source = (ROOT / "static" / "js" / "sw.js").read_text()
    pattern = re.search(r"const RUNNER = /(.+)/;", source).group(1).replace("\\/", "/")
    assert re.fullmatch(pattern, reverse("programs:session-run", args=[42]))
    for other in ("programs:session-summary", "programs:session-hurts", "programs:session"):
        assert not re.fullmatch(pattern, reverse(other, args=[42]))


def test_with_hashed_static_names_the_worker_keeps_those_and_has_a_new_version(client, tmp_path):
    plain = worker_settings(client.get("/sw.js").content.decode())
    storage = {"BACKEND": "backcare.static_storage.StaticStorage"}
    with override_settings(STATIC_ROOT=tmp_path, STORAGES={"staticfiles": storage}):
        call_command("collectstatic", "--noinput", "-v0")
        hashed = worker_settings(client.get("/sw.js").content.decode())
    files = [url for url in hashed["precache"] if url.startswith("/static/")]
    assert files
    assert all(HASHED.search(url) for url in files)
    for url in files:
        assert (tmp_path / url.removeprefix("/static/")).exists()
    assert hashed["version"] != plain["version"]


def test_the_offline_page_says_what_still_works(client):
    response = client.get("/offline/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-cache"
    page = response.content.decode()
    assert "You are offline" in page
    assert "sent to BackCare when you are back online, once" in page


def test_the_offline_page_is_the_same_for_a_signed_in_person(user_client, user):
    response = user_client.get("/offline/")
    assert response["Cache-Control"] == "no-cache"
    page = response.content.decode()
    assert user.username not in page
    assert "Log out" not in page
    assert "csrfmiddlewaretoken" not in page


def test_fetching_the_offline_page_leaves_a_waiting_message_for_the_next_page(client):
    # The worker installs in the background of the first page, often just after a sign-up.
    answers = {"username": "maria", "email": "maria@example.com", "time_zone": "UTC"}
    answers |= {"password1": "slow-and-steady-back-42", "password2": "slow-and-steady-back-42"}
    welcome = client.post(reverse("signup"), answers)
    client.get("/offline/")
    assert "Welcome to BackCare, maria" in client.get(welcome["Location"]).content.decode()


def test_only_pages_for_nobody_signed_in_tell_the_worker_to_forget(client, user):
    anonymous = client.get(reverse("programs:library")).content.decode()
    assert re.search(r"<body [^>]*data-signed-out", anonymous)
    client.force_login(user)
    signed_in = client.get(reverse("programs:library")).content.decode()
    assert "data-signed-out" not in signed_in


def test_the_policy_allows_the_manifest_and_worker_from_this_server_only(client):
    policy = client.get(reverse("programs:library"))["Content-Security-Policy"]
    assert "manifest-src 'self';" in policy or policy.endswith("manifest-src 'self'")
    assert "worker-src 'self'" in policy
