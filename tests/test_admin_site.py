"""The admin site's frame (templates/admin/base_site.html)."""


def test_admin_pages_carry_the_portals_stylesheet_and_favicon(admin_client):
    page = admin_client.get("/admin/").text
    assert '<link rel="icon" href="/static/img/favicon' in page
    assert "css/admin" in page
