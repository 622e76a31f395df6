"""Sender authentication evidence: what our receiving server's checks say of From.

Who a message is from decides whose ticket it opens or joins, and From alone is
trivially forged. Our receiving server (settings.INBOUND_AUTHSERV_ID) records its SPF,
DKIM and DMARC results in an Authentication-Results header (RFC 8601); only those are
trusted. No database here.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from .mime import Message, decode_header_value

# Authentication-Results (RFC 8601): "authserv-id; method=result property=value …; …".
_AR_COMMENT = re.compile(r"\([^()]*\)")
_AR_RESULT = re.compile(r"^\s*([a-z0-9_-]+)(?:/[0-9]+)?\s*=\s*([a-z0-9_-]+)(.*)$", re.IGNORECASE | re.DOTALL)
_AR_DOMAIN = {
    "dkim": re.compile(r"\bheader\.d\s*=\s*\"?([a-z0-9.-]+)", re.IGNORECASE),
    "dmarc": re.compile(r"\bheader\.from\s*=\s*\"?([a-z0-9.-]+)", re.IGNORECASE),
}


@dataclass(frozen=True)
class AuthResult:
    method: str  # "spf", "dkim", "dmarc"…
    result: str  # "pass", "fail", "none"…
    domain: str = ""  # header.d of a DKIM signature, header.from of a DMARC check


def our_authentication_results(message: Message) -> list[AuthResult]:
    """The checks our receiving server (settings.INBOUND_AUTHSERV_ID) reported.

    Anyone can write an Authentication-Results header into a message, so the ones
    naming another server are ignored; the MTA strips incoming ones that name ours.
    """
    ours = settings.INBOUND_AUTHSERV_ID.lower()
    results = []
    if not ours:
        return results
    for value in message.raw_headers.get("authentication-results", []):
        text = decode_header_value(value)
        while _AR_COMMENT.search(text):
            text = _AR_COMMENT.sub(" ", text)
        authserv, *resinfos = text.split(";")
        if authserv.lower().split()[:1] != [ours]:
            continue
        for resinfo in resinfos:
            if match := _AR_RESULT.match(resinfo):
                method, result, properties = match.group(1).lower(), match.group(2).lower(), match.group(3)
                domain = _AR_DOMAIN[method].search(properties) if method in _AR_DOMAIN else None
                results.append(AuthResult(method, result, domain.group(1).lower().rstrip(".") if domain else ""))
    return results


def _aligned(domain: str, sender_domain: str) -> bool:
    """DMARC's relaxed alignment, without a public-suffix list: one domain is the other
    or a subdomain of it (a signature by a parent like "com" cannot exist: no key)."""
    return bool(domain) and (
        domain == sender_domain or sender_domain.endswith("." + domain) or domain.endswith("." + sender_domain)
    )


def _vouched_for(sender: str, results: list[AuthResult]) -> bool:
    """Our server confirmed the From domain: DMARC passed for it, or it signed (DKIM)."""
    sender_domain = sender.rpartition("@")[2]
    return any(
        r.result == "pass"
        and (
            (r.method == "dmarc" and r.domain in ("", sender_domain))
            or (r.method == "dkim" and _aligned(r.domain, sender_domain))
        )
        for r in results
    )


def authentication_problem(message: Message) -> str | None:
    """Why the From address cannot be trusted, from our receiving server's checks; None
    if nothing speaks against it."""
    results = our_authentication_results(message)
    reported = {(r.method, r.result) for r in results}
    if ("dmarc", "fail") in reported:
        return _("Nuestro servidor de correo reporta dmarc=fail: el remitente puede estar falsificado.")
    if ("spf", "fail") in reported and ("dkim", "pass") not in reported:
        return _("Nuestro servidor de correo reporta spf=fail sin una firma DKIM válida: el remitente puede estar falsificado.")
    if settings.INBOUND_REQUIRE_AUTHENTICATED_SENDER and not _vouched_for(message.sender, results):
        return _(
            "Nuestro servidor de correo no confirmó al remitente (ni dmarc=pass ni una firma DKIM de su dominio); "
            "se exige remitente autenticado."
        )
    return None
