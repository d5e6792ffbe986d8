"""Shared by the browser tests: keep a page's requests on the book's own server."""

from __future__ import annotations

from urllib.parse import urlparse


def keep_local(tab, site: str, problems: list[str]) -> None:
    """Abort, and record in ``problems``, every request ``tab`` makes to a host other than ``site``'s."""
    host = urlparse(site).netloc if "//" in site else site

    def only_local(route):
        if urlparse(route.request.url).netloc != host and not route.request.url.startswith("data:"):
            problems.append(f"request to another host: {route.request.url}")
            return route.abort()
        return route.continue_()

    tab.route("**/*", only_local)
