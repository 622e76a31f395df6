"""Spanish by default whatever the browser says; English only when chosen."""

from django.urls import reverse

LOGIN = reverse("account_login")


def test_an_english_browser_still_gets_spanish(client, db):
    response = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "es-mx"
    assert "Iniciar sesión" in response.text


def test_choosing_english_switches_the_portal(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": LOGIN})
    response = client.get(LOGIN)
    assert response["Content-Language"] == "en"
    assert "Iniciar sesión" not in response.text


def test_an_unknown_language_cookie_falls_back_to_spanish(client, db, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert client.get(LOGIN)["Content-Language"] == "es-mx"


def test_the_footer_offers_each_language_in_its_own_name(client, db):
    content = client.get(reverse("help:ticket_states")).text
    assert 'action="/i18n/setlang/"' in content
    assert ">English</option>" in content and ">Español (México)</option>" in content
