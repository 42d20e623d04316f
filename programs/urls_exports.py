"""Addresses for taking data out: JSON and CSV export, the calendar feed of due dates."""

app_name = "exports"

urlpatterns: list = []
