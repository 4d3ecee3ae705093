"""HTML to PDF with WeasyPrint, for the print page. WeasyPrint fetches nothing: not the
network, not a file (a link in a family's text stays a link on paper); the app's own
stylesheet is handed to it, and its print rules (`@media print`) apply."""
from __future__ import annotations

from pathlib import Path

from flask import current_app


class FetchRefused(ValueError):
    pass


def _fetcher():
    from weasyprint.urls import URLFetcher

    class NothingFetched(URLFetcher):
        def fetch(self, url, headers=None):
            raise FetchRefused(f"the PDF fetches nothing: {url}")

    return NothingFetched()


def html_to_pdf(html: str) -> bytes:
    import weasyprint

    css = Path(current_app.static_folder, "css", "samenplan.css").read_text(encoding="utf-8")
    fetcher = _fetcher()
    return weasyprint.HTML(string=html, base_url="about:blank", url_fetcher=fetcher).write_pdf(
        stylesheets=[weasyprint.CSS(string=css, url_fetcher=fetcher)]
    )
