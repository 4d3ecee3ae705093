"""Helpers shared by the tests: reading pages, logging in. One copy of each."""
