from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from backcare import views, web_app
from backcare.forms import PasswordResetForm, SetPasswordForm

account_patterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(form_class=PasswordResetForm),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=SetPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("profile/", views.profile, name="profile"),
    path("email/", views.email_change, name="email_change"),
    path("delete/", views.delete_account, name="delete_account"),
]

urlpatterns = [
    path("", include("programs.urls_home")),
    path("healthz", views.healthz, name="healthz"),
    path("manifest.webmanifest", web_app.manifest, name="manifest"),
    path("sw.js", web_app.service_worker, name="service-worker"),
    path("offline/", web_app.offline, name="offline"),
    path("accounts/", include(account_patterns)),
    path("admin/", admin.site.urls),
    path("", include("programs.urls")),
    path("", include("programs.urls_exports")),
]
