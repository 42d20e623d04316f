"""The menu and the head, rendered once per way of asking: each visitor still gets their
own menu, the right page marked, and a log-out form that works."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def menu(page: str) -> str:
    return page.split('class="nav-wide"')[1].split("</nav>")[0]


def test_the_current_page_is_marked_and_no_other(client, library):
    for url, marked in [
        (reverse("programs:library"), "Exercises"),
        (reverse("programs:programs"), "Programs"),
        (reverse("programs:lessons"), "Living with back pain"),
    ]:
        links = menu(client.get(url).content.decode())
        assert re.findall(r'aria-current="page">([^<]+)<', links) == [marked]


def test_signed_in_and_signed_out_menus_never_mix(client, user, library):
    url = reverse("programs:library")
    client.force_login(user)
    signed_in = menu(client.get(url).content.decode())
    assert "Profile" in signed_in
    assert "Log out" in signed_in
    assert "Log in" not in signed_in
    client.logout()
    signed_out = menu(client.get(url).content.decode())
    assert "Log in" in signed_out
    assert "Sign up" in signed_out
    assert "Profile" not in signed_out
    assert "Log out" not in signed_out


def test_each_log_out_form_carries_a_token_that_works(user, library):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    page = client.get(reverse("programs:library")).content.decode()
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert len(tokens) == 2  # the wide menu and the narrow one
    response = client.post(reverse("logout"), {"csrfmiddlewaretoken": tokens[0]})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_signed_in_page_gives_htmx_and_the_log_out_forms_one_token(user, library):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    page = client.get(reverse("programs:library")).content.decode()
    header = re.findall(r"hx-headers='\{\"X-CSRFToken\": \"([^\"]+)\"\}'", page)
    forms = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert len(header) == 1
    assert set(forms) == set(header)
    # The header's token is the one HTMX sends with a POST: it goes through.
    response = client.post(
        reverse("exports:calendar-renew"), headers={"HX-Request": "true", "X-CSRFToken": header[0]}
    )
    assert response.status_code == 303


def test_a_signed_out_page_carries_no_token_for_htmx(client, library):
    # Nothing a signed-out visitor can do posts with HTMX; forms carry their own tokens.
    response = client.get(reverse("programs:library"))
    assert "hx-headers" not in response.content.decode()
    assert "data-signed-out" in response.content.decode()
    login = client.get(reverse("login")).content.decode()
    assert 'name="csrfmiddlewaretoken"' in login


def test_the_htmx_script_carries_each_pages_own_nonce(client, library):
    nonces = []
    for _ in range(2):
        response = client.get(reverse("programs:library"))
        page = response.content.decode()
        (nonce,) = re.findall(r'<script src="[^"]*htmx-2\.min\.js" defer nonce="([^"]+)"', page)
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_the_footer_and_the_skip_link_are_on_every_page(client, user, library):
    for signed_in in (False, True):
        if signed_in:
            client.force_login(user)
        page = client.get(reverse("programs:lessons")).content.decode()
        assert 'href="#main">Skip to main content</a>' in page
        assert "BackCare is not medical advice." in page
