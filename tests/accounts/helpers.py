"""Small helpers shared by the accounts tests."""

import re

STRONG_PASSWORD = "Flotilla#2026 del Norte"


def link_path(body: str, pattern: str) -> str:
    """The path of the first absolute link in ``body`` whose URL contains ``pattern``."""
    url = re.search(rf"https?://[^\s\"<>]*{pattern}[^\s\"<>]*", body).group(0)
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def invitation_path(message) -> str:
    """The "Registrarse" link of an invitation e-mail; the text and HTML parts agree."""
    path = link_path(message.body, "/cuentas/invitacion/")
    html = message.alternatives[0].content
    assert path in html and "Registrarse" in html
    return path
