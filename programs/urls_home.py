"""The home page, at the site's root and named "home" without a namespace."""

from django.urls import path

from programs.views import home

urlpatterns = [
    path("", home.home, name="home"),
]
