"""Helpers shared by the tests, one copy of each: people.py (the demo logins), clients.py
(reading answers, logging in by the form or directly, the database), html.py (a small DOM),
pages.py (versions forms send), apps.py (a test app of one's own), browser.py (tests/e2e)."""
