"""Spanish by default whatever the browser says; English only when chosen."""

from django.urls import reverse

LOGIN = reverse("account_login")


def test_an_english_browser_still_gets_spanish(client, db):
    response = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "es-mx"
    assert "Iniciar sesión" in response.text


def test_choosing_english_switches_the_portal_and_returns_to_the_page(client, db):
    response = client.get(reverse("choose_language", args=["en"]), {"next": LOGIN})
    assert response.status_code == 302 and response["Location"] == LOGIN
    page = client.get(LOGIN)
    assert page["Content-Language"] == "en"
    assert "Sign in" in page.text and "Iniciar sesión" not in page.text


def test_it_never_redirects_to_another_site(client, db):
    response = client.get(reverse("choose_language", args=["en"]), {"next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_an_unknown_language_is_refused(client, db):
    assert client.get(reverse("choose_language", args=["xx"])).status_code == 404


def test_an_unknown_language_cookie_falls_back_to_spanish(client, db, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert client.get(LOGIN)["Content-Language"] == "es-mx"


def test_the_footer_offers_each_language_in_its_own_name(client, db):
    content = client.get(reverse("help:ticket_states")).text
    assert '<span aria-current="true" lang="es-mx">Español (México)</span>' in content
    assert 'hreflang="en">English</a>' in content


def test_the_english_catalogue_has_no_untranslated_or_fuzzy_entry():
    import re
    from pathlib import Path

    po = (Path(__file__).resolve().parent.parent / "locale/en/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    entries = po.split("\n\n")[1:]  # the first block is the header
    assert entries
    assert not [e for e in entries if "#, fuzzy" in e]
    untranslated = [
        e
        for e in entries
        if re.search(r'^msgstr(\[\d\])? ""\n?$', e, re.MULTILINE) and not re.search(r'^msgstr(\[\d\])? ""\n"', e, re.MULTILINE)
    ]
    assert untranslated == []
