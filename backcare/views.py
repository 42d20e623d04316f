"""The health check and the account pages."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from backcare.forms import (
    DeleteAccountForm,
    EmailForm,
    LoginForm,
    PasswordChangeForm,
    PreferencesForm,
    SignUpForm,
)


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: the app answers and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to BackCare, %(name)s.") % {"name": user.username})
        # Four questions first: they choose a program and set up the plan.
        return redirect("programs:first-step")
    status = 400 if form.errors else 200
    return render(request, "registration/signup.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(
        request.POST if request.method == "POST" else None, instance=request.user
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your preferences are saved."))
        return redirect("profile")
    return _profile_page(request, form, EmailForm(request))


@login_required
@require_http_methods(["GET", "POST"])
def email_change(request: HttpRequest) -> HttpResponse:
    """The email form of the profile page: its own address, as it asks for the password."""
    email_form = EmailForm(request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and email_form.is_valid():
        email_form.save()
        messages.success(request, _("Your email address is saved."))
        return redirect("profile")
    return _profile_page(request, PreferencesForm(instance=request.user), email_form)


def _profile_page(request: HttpRequest, form, email_form) -> HttpResponse:
    status = 400 if form.errors or email_form.errors else 200
    context = {"form": form, "email_form": email_form}
    return render(request, "registration/profile.html", context, status=status)


class LoginView(auth_views.LoginView):
    """Django's view, greeting the person by name once they are in."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        name = form.get_user().get_username()
        messages.success(self.request, _("Welcome back, %(name)s.") % {"name": name})
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view, with our form: the old password goes through the log-in throttle."""

    form_class = PasswordChangeForm

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "request": self.request}

    def form_invalid(self, form) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        user.delete()
        messages.success(request, _("Your account and everything in it has been deleted."))
        return redirect("home")
    status = 400 if form.errors else 200
    return render(request, "registration/delete_account.html", {"form": form}, status=status)
