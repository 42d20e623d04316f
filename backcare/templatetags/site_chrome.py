"""The parts of every page that are the same for everyone asking in the same way: the head's
links (styles, icons, manifest) and the site's menu.

Each is rendered once per process for each way of asking (language, signed in or not, the
page the menu marks as current) and kept: with their address look-ups, translations and
static file names they cost as much as the rest of a cached page. Nothing of one person's
is in them: the log-out form, with its CSRF token, is rendered on every request.
"""

from django import template
from django.core.signals import setting_changed
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

_rendered: dict[tuple, SafeString] = {}


def _once(key: tuple, template_name: str, context: dict) -> SafeString:
    key = (template_name, get_language(), get_script_prefix(), *key)
    if key not in _rendered:
        _rendered[key] = mark_safe(render_to_string(template_name, context))
    return _rendered[key]


def forget(**kwargs) -> None:
    """A changed setting (in tests) can change static addresses or the menu: render anew."""
    _rendered.clear()


setting_changed.connect(forget, dispatch_uid="site-chrome-forget")


@register.simple_tag
def site_head() -> SafeString:
    return _once((), "components/head.html", {})


@register.simple_tag(takes_context=True)
def site_links(context) -> SafeString:
    """The menu's links, with the current page marked; then the log-out form, made afresh."""
    request = context["request"]
    signed_in = request.user.is_authenticated
    match = request.resolver_match
    current = match.url_name if match else None
    links = _once(
        (signed_in, current),
        "components/site_links.html",
        {"signed_in": signed_in, "current": current},
    )
    if not signed_in:
        return mark_safe(f'<ul class="site-links">{links}</ul>')
    # Once a request, for both menus (wide and narrow), with the page's own CSRF token:
    # each new one costs a random mask.
    if not hasattr(request, "log_out_form"):
        token = {"csrf_token": context["csrf_token"]} if "csrf_token" in context else {}
        request.log_out_form = render_to_string("components/log_out.html", token, request)
    return mark_safe(f'<ul class="site-links">{links}{request.log_out_form}</ul>')
