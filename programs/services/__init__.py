"""Writes that touch several rows at once, grouped by subject; one transaction each.

Views call these and stay thin: `sessions` (starting, running and finishing a session,
the warning-signs questions), `programs` (a person's own programs), `suggestions` (step
up or down), `goals`, and `plans` (the plan followed, flare-ups).
"""
