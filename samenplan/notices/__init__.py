"""Meldingen: one place in the app (and one mail per event) for what a user should know."""
