"""Account forms: sign up, preferences, and deleting an account."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from backcare import tasks
from backcare.models import User, time_zone_choices


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


class PreferencesForm(forms.ModelForm):
    time_zone = TimeZoneField()

    class Meta:
        model = User
        fields = ("email", "time_zone", "sound_cues", "spoken_cues", "lead_in_seconds")
        error_messages = {
            "lead_in_seconds": {
                "max_value": _("Choose at most 30 seconds to get ready."),
                "invalid": _("Enter a whole number of seconds, from 0 to 30."),
            }
        }


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user: User, *args, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."), code="wrong_password")
        return password


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
