"""The pipelines as the portal reads them, once and then from the cache, forgotten
whenever an area or a stage changes: Area.objects.opening() (the area a new ticket
goes to, with the stage it starts in) and Stage.objects.menu() (the list's menus)."""

import pytest
from django.core.cache import cache
from django.core.management import call_command

from workflows.models import OPENING_CACHE_KEY, Area, Stage

pytestmark = pytest.mark.django_db


def first_stage_in_database(slug: str) -> Stage:
    return Stage.objects.filter(area__slug=slug).order_by("position").first()


def test_each_area_comes_with_the_stage_its_tickets_start_in(django_assert_num_queries):
    for area in Area.objects.all():
        opening = Area.objects.opening(area.slug)
        assert opening == area
        assert opening.first_stage() == first_stage_in_database(area.slug)
    with django_assert_num_queries(0):
        again = Area.objects.opening("siniestros")
        assert again.first_stage().area == again
    # Without it, first_stage() reads the stages as it always did.
    assert Area.objects.get(slug="siniestros").first_stage() == again.first_stage()


@pytest.mark.parametrize("slug", ["no-existe", "", "' OR 1=1 --", None])
def test_an_unknown_area_does_not_exist(slug):
    with pytest.raises(Area.DoesNotExist):
        Area.objects.opening(slug)


def test_a_reordered_pipeline_is_read_again():
    before = Area.objects.opening("seguros").first_stage()
    second = Stage.objects.filter(area__slug="seguros").order_by("position")[1]
    before.position, second.position = second.position, before.position
    before.save()
    second.save()
    assert Area.objects.opening("seguros").first_stage() == second


def test_a_changed_stage_is_read_again():
    first = Area.objects.opening("gestorias").first_stage()
    first.target_business_days = 9
    first.save()
    assert Area.objects.opening("gestorias").first_stage().target_business_days == 9


def test_a_new_area_is_offered_once_it_has_a_stage():
    Area.objects.opening("siniestros")  # cached before the new area exists
    area = Area.objects.create(slug="nueva", name="Nueva", description="x", email="nueva@jhl.mx")
    with pytest.raises(Area.DoesNotExist):
        Area.objects.opening("nueva")
    Stage.objects.create(area=area, name="Recibido", state="open", position=0)
    assert Area.objects.opening("nueva").first_stage().name == "Recibido"


def test_a_migration_forgets_them():
    Area.objects.opening("seguros")
    # A data migration writes through historical models, which send no save signals.
    Stage.objects.filter(area__slug="seguros", position=0).update(target_business_days=4)
    call_command("migrate", verbosity=0)
    assert Area.objects.opening("seguros").first_stage().target_business_days == 4


def menu_in_database() -> list[tuple]:
    stages = Stage.objects.order_by("area__position", "area__name", "position")
    return list(stages.values_list("pk", "name", "area__slug", "area__name"))


def test_the_stage_menu_follows_the_pipelines(django_assert_num_queries):
    assert Stage.objects.menu() == menu_in_database()
    with django_assert_num_queries(0):
        Stage.objects.menu()
    stage = Stage.objects.get(area__slug="siniestros", position=1)
    stage.name = "Ajuste en proceso"
    stage.save()
    area = Area.objects.get(slug="seguros")
    area.name = "Pólizas y seguros"
    area.save()
    menu = Stage.objects.menu()
    assert menu == menu_in_database()
    assert (stage.pk, "Ajuste en proceso", "siniestros", "Siniestros") in menu
    assert {area_name for _pk, _name, slug, area_name in menu if slug == "seguros"} == {"Pólizas y seguros"}
    stage.delete()
    assert stage.pk not in {pk for pk, *_rest in Stage.objects.menu()}


def test_loading_the_pipelines_again_keeps_them_right():
    expected = {area.slug: first_stage_in_database(area.slug) for area in Area.objects.all()}
    call_command("load_pipelines", verbosity=0)
    assert {slug: Area.objects.opening(slug).first_stage() for slug in expected} == expected


def test_what_was_stored_from_the_old_rows_before_the_commit_is_forgotten_at_it(django_capture_on_commit_callbacks):
    stale = Area.objects.opening("gestorias")
    with django_capture_on_commit_callbacks(execute=True):
        first = Stage.objects.get(pk=stale.first_stage().pk)
        first.target_business_days = 7
        first.save()
        # Another request, still reading the rows as they were before this commit,
        # stores them again.
        cache.set(OPENING_CACHE_KEY, {"gestorias": stale})
    assert Area.objects.opening("gestorias").first_stage().target_business_days == 7
