"""Account forms: sign up, preferences, email, password, and deleting an account.

Every form that asks a signed-in person for their password checks it through the log-in
throttle (`backcare.throttling.password_is_right`), so guessing is no easier here than at
the log-in page.
"""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from backcare import tasks
from backcare.models import User, new_calendar_token, time_zone_choices
from backcare.throttling import password_is_right


class TimeZoneField(forms.ChoiceField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Time zone"))
        kwargs.setdefault(
            "help_text", _("Streaks, due dates and calendars follow the day where you live.")
        )
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": _("Pick your time zone from the list, for example Europe/London.")},
        )
        super().__init__(choices=time_zone_choices, **kwargs)


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        help_text=_("Optional. Only used to reset your password if you forget it."),
    )
    time_zone = TimeZoneField(initial="UTC")

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email", "time_zone")

    REQUIRED = {
        "username": _("Choose a user name: letters, digits and @ . + - _ only."),
        "password1": _("Choose a password of at least 8 characters, not only numbers."),
        "password2": _("Type the same password again, to be sure it is right."),
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # An empty field says what to put in it, not only that something is missing.
        for name, message in self.REQUIRED.items():
            self.fields[name].error_messages["required"] = message


class PreferencesForm(forms.ModelForm):
    time_zone = TimeZoneField()

    class Meta:
        model = User
        fields = ("time_zone", "sound_cues", "spoken_cues", "lead_in_seconds")
        error_messages = {
            "lead_in_seconds": {
                "max_value": _("Choose at most 30 seconds to get ready."),
                "invalid": _("Enter a whole number of seconds, from 0 to 30."),
            }
        }


class CurrentPasswordField(forms.CharField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Your password"))
        kwargs.setdefault("widget", forms.PasswordInput(attrs={"autocomplete": "current-password"}))
        super().__init__(strip=False, **kwargs)


class ChecksPasswordMixin:
    """The form's `password` must be the signed-in person's, checked as a log-in would be."""

    @sensitive_variables("password")
    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not password_is_right(self.request, self.request.user, password):
            raise forms.ValidationError(_("That is not your password."), code="wrong_password")
        return password


class EmailForm(ChecksPasswordMixin, forms.ModelForm):
    """The address password resets go to: changing it needs the current password, and the
    old address is told."""

    password = CurrentPasswordField(
        help_text=_("So that nobody else on this device can change where reset links go.")
    )

    class Meta:
        model = User
        fields = ("email",)
        labels = {"email": _("Email")}
        help_texts = {"email": _("Password reset links go here. Leave it empty to have none.")}

    def __init__(self, request: HttpRequest, *args, **kwargs) -> None:
        self.request = request
        self.old_email = request.user.email
        super().__init__(*args, instance=request.user, **kwargs)

    def save(self, commit: bool = True) -> User:
        user = super().save(commit)
        if commit and self.old_email and self.old_email != user.email:
            tasks.send_email_changed_notice.enqueue(
                user.pk, self.old_email, **tasks.site_of(self.request)
            )
        return user


class DeleteAccountForm(ChecksPasswordMixin, forms.Form):
    password = CurrentPasswordField()

    def __init__(self, request: HttpRequest, *args, **kwargs) -> None:
        self.request = request
        super().__init__(*args, **kwargs)


class NewPasswordMixin:
    """A new password also makes a new calendar address: whoever knew the old password may
    have copied the address too."""

    def save(self, commit: bool = True) -> User:
        self.user.calendar_token = new_calendar_token()
        return super().save(commit)


class SetPasswordForm(NewPasswordMixin, auth_forms.SetPasswordForm):
    """Choosing a new password from a reset link."""


class PasswordChangeForm(NewPasswordMixin, auth_forms.PasswordChangeForm):
    """Django's form, with the old password checked through the log-in throttle."""

    def __init__(self, user: User, *args, request: HttpRequest, **kwargs) -> None:
        self.request = request
        super().__init__(user, *args, **kwargs)

    @sensitive_variables("old_password")
    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        if not password_is_right(self.request, self.user, old_password):
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form, with the mail left to the task worker.

    Whether or not the address has an account, the request does the same work (one task
    enqueued), so its timing tells nothing; the worker looks the address up and mails it.
    """

    def save(self, *, request: HttpRequest, **options) -> None:
        site = tasks.site_of(request)
        tasks.send_password_reset.enqueue(self.cleaned_data["email"], **site)


class LoginForm(AuthenticationForm):
    """Django's log-in form, with the username's length checked before anything else.

    A name longer than any account can have is refused as a field error, so it never
    reaches authentication (nor the failed-log-in records, whose column would overflow).
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length or 150))
