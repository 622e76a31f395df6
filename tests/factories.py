import factory
from django.contrib.auth import get_user_model

from accounts.models import Organization
from tickets import services
from tickets.models import Channel
from workflows.models import Area

PASSWORD = "Prueba#2026x"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Empresa {n} S.A. de C.V.")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"usuario{n}@cliente.mx")
    first_name = "Usuario"
    last_name = factory.Sequence(lambda n: f"Prueba {n}")
    organization = factory.SubFactory(OrganizationFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    organization = None
    is_staff = True

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        for slug in extracted or []:
            obj.groups.add(Area.objects.get(slug=slug).team)


def make_ticket(
    *, requester, area="seguros", subject="Renovación de póliza", description="Por favor", channel=Channel.PORTAL, **kwargs
):
    """A ticket opened through the real service, in its area's first stage."""
    if isinstance(area, str):
        area = Area.objects.get(slug=area)
    return services.ticket_create(
        requester=requester, area=area, subject=subject, description=description, channel=channel, **kwargs
    )
