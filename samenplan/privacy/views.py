"""Screens of the privacy model: consent, shielding, emergency access, who looked."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("privacy", __name__, url_prefix="/gezin/<int:family_id>")
