"""IT's user list: each user's state, the state filter and "Reenviar invitación"."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.models import User, UserState
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/accounts/user/"


@pytest.fixture
def admin_client(client, superuser, settings):
    settings.MFA_REQUIRED_FOR_STAFF = False
    client.force_login(superuser)
    return client


@pytest.fixture
def one_of_each(org_a, client_a):
    """An active client (client_a), and one user in each other state."""
    fresh = timezone.now() - timedelta(days=1)
    stale = timezone.now() - timedelta(days=30)
    invited = User.objects.create_user(email="invitado@tn.mx", first_name="In", last_name="Vitado", organization=org_a)
    expired = User.objects.create_user(email="vencido@tn.mx", first_name="Ven", last_name="Cido", organization=org_a)
    deactivated = UserFactory(email="baja@tn.mx", organization=org_a, is_active=False)
    User.objects.filter(pk=invited.pk).update(invitation_sent_at=fresh)
    User.objects.filter(pk=expired.pk).update(invitation_sent_at=stale)
    return {"active": client_a, "invited": invited, "expired": expired, "deactivated": deactivated}


def test_it_computes_each_state_from_the_row(one_of_each):
    states = {key: User.objects.get(pk=user.pk).state for key, user in one_of_each.items()}
    assert states == {
        "active": UserState.ACTIVE,
        "invited": UserState.INVITED,
        "expired": UserState.INVITATION_EXPIRED,
        "deactivated": UserState.DEACTIVATED,
    }
    # The queryset filter agrees with the property.
    for state in UserState:
        expected = {user.pk for user in one_of_each.values() if User.objects.get(pk=user.pk).state == state}
        assert (
            set(User.objects.filter(pk__in=[u.pk for u in one_of_each.values()]).with_state(state).values_list("pk", flat=True))
            == expected
        )


def test_the_list_shows_the_state_of_each_user(admin_client, one_of_each):
    page = admin_client.get(CHANGELIST)
    assert page.status_code == 200
    for label in ["Invitado", "Activo", "Invitación vencida", "Desactivado", "Reenviar invitación"]:
        assert label in page.text
    rows = {row.email: row for row in page.context["cl"].result_list}
    assert rows["vencido@tn.mx"].state.label == "Invitación vencida"


def test_the_list_costs_the_same_queries_for_many_users(admin_client, one_of_each, org_a, django_assert_num_queries):
    # The state is computed from each row's own columns: no query per row.
    admin_client.get(CHANGELIST)  # warm the session and the content types cache
    # session, user, the filters' groups and organizations, two counts (filtered and
    # total), the page of users, the session's save (3: in a savepoint).
    with django_assert_num_queries(10):
        admin_client.get(CHANGELIST)
    for n in range(15):
        User.objects.create_user(email=f"mas{n}@tn.mx", first_name="Más", last_name=str(n), organization=org_a)
    with django_assert_num_queries(10):
        page = admin_client.get(CHANGELIST)
    assert page.text.count("Invitación vencida") >= 16


def test_the_state_filter(admin_client, one_of_each):
    page = admin_client.get(CHANGELIST, {"estado": UserState.INVITATION_EXPIRED})
    assert [user.email for user in page.context["cl"].result_list] == ["vencido@tn.mx"]


def test_resend_invitation_goes_only_to_users_without_a_password(admin_client, one_of_each, django_capture_on_commit_callbacks):
    selected = [user.pk for user in one_of_each.values()]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(CHANGELIST, {"action": "resend_invitation", "_selected_action": selected}, follow=True)

    assert sorted(message.to[0] for message in mail.outbox) == ["invitado@tn.mx", "vencido@tn.mx"]
    assert "Se reenviaron 2 invitaciones." in response.text
    assert "2 usuarios no se invitaron" in response.text
    assert User.objects.get(email="vencido@tn.mx").state == UserState.INVITED


def test_the_change_form_has_no_password_and_shows_the_state(admin_client, one_of_each):
    page = admin_client.get(f"/admin/accounts/user/{one_of_each['invited'].pk}/change/")
    assert page.status_code == 200
    assert 'name="password' not in page.text
    assert "Invitado" in page.text


def test_the_add_form_refuses_an_existing_address_whatever_its_case(admin_client, client_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/accounts/user/add/",
            {"first_name": "Otra", "last_name": "Ana", "email": client_a.email.upper(), "organization": client_a.organization_id},
        )
    assert response.status_code == 200
    assert mail.outbox == []
    assert User.objects.filter(email__iexact=client_a.email).count() == 1


def test_it_cannot_set_anyones_password_in_admin(client, superuser, client_a):
    client.force_login(superuser)
    url = f"/admin/accounts/user/{client_a.pk}/password/"
    with pytest.raises(NoReverseMatch):
        reverse("admin:auth_user_password_change", args=[client_a.pk])
    # No such page: the admin's catch-all takes "2/password" for an object ID that does
    # not exist and ends at the index, as for any unknown address under the model.
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1] == (reverse("admin:index"), 302)
    response = client.post(url, {"password1": "Nueva#Clave2026", "password2": "Nueva#Clave2026"}, follow=True)
    assert response.redirect_chain[-1] == (reverse("admin:index"), 302)
    client_a.refresh_from_db()
    assert not client_a.check_password("Nueva#Clave2026")
