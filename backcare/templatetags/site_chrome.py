"""The parts of every page that are the same for everyone asking in the same way: the head's
links (styles, icons, manifest), the header with the site's menu, the footer and the htmx
script tag.

Each is rendered once per process for each way of asking (language, signed in or not, the
page the menu marks as current) and kept: with their address look-ups, translations and
static file names they cost as much as the rest of a cached page. Nothing of one person's
is in them: the log-out form with its CSRF token, and the CSP nonce, go in on every request.
"""

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django_htmx.jinja import htmx_script

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


# Where each request's own log-out form goes in a header kept for everyone signed in.
LOG_OUT_FORM = "<!--log-out-form-->"
# Where each request's CSP nonce and CSRF token go in the kept htmx script tag and
# log-out form.
NONCE = "__site_chrome_nonce__"
TOKEN = "__site_chrome_csrf_token__"


@register.simple_tag(takes_context=True)
def site_header(context) -> SafeString:
    """The skip link, the brand and the menu (wide and narrow), with the current page
    marked; for a signed-in person, the log-out form with the page's own CSRF token."""
    request = context["request"]
    signed_in = request.user.is_authenticated
    match = request.resolver_match
    current = match.url_name if match else None
    links = _once(
        (signed_in, current),
        "components/site_links.html",
        {"signed_in": signed_in, "current": current},
    )
    menu = mark_safe(f'<ul class="site-links">{links}{LOG_OUT_FORM if signed_in else ""}</ul>')
    header = _once(
        (signed_in, current), "components/site_header.html", {"current": current, "links": menu}
    )
    if not signed_in:
        return header
    # With the page's own CSRF token (each new one costs a random mask).
    if "csrf_token" not in context:
        form = render_to_string("components/log_out.html", request=request)
    else:
        form = _once((), "components/log_out.html", {"csrf_token": TOKEN})
        form = form.replace(TOKEN, conditional_escape(str(context["csrf_token"])))
    return mark_safe(header.replace(LOG_OUT_FORM, form))


@register.simple_tag
def site_footer() -> SafeString:
    return _once((), "components/site_footer.html", {})


@register.simple_tag(takes_context=True)
def site_htmx_script(context) -> SafeString:
    """django-htmx's script tag, its static address looked up once; the page's nonce."""
    nonce = context.get("csp_nonce")
    if nonce is None:
        return htmx_script()
    key = ("htmx-script", settings.DEBUG)
    if key not in _rendered:
        _rendered[key] = htmx_script(nonce=NONCE)
    return mark_safe(_rendered[key].replace(NONCE, conditional_escape(str(nonce))))
