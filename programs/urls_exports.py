"""Addresses for taking data out: JSON and CSV export, the calendar feed of due dates."""

from django.urls import path

from programs.views import exports

app_name = "exports"

urlpatterns = [
    path("export/backcare.json", exports.export_json, name="json"),
    path("export/sessions.csv", exports.export_csv, name="csv"),
    path("export/outcomes.csv", exports.export_outcomes_csv, name="outcomes-csv"),
    path("calendar/renew/", exports.calendar_renew, name="calendar-renew"),
    path("calendar/<str:token>.ics", exports.calendar, name="calendar"),
]
