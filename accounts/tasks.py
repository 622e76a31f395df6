"""Background tasks of the accounts app (django.tasks, run by `db_worker`)."""

from django.tasks import task

from . import services


@task
def request_invitation(email: str) -> None:
    """ "Regístrese aquí", done after the page has answered: whether the address has a
    pending invitation (a lookup, a token, an e-mail) never shows in the response time."""
    services.invitation_request(email=email)
