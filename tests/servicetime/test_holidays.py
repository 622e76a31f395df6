"""Mexico's official rest days (LFT art. 74) in the Holiday table, editable in admin."""

from datetime import date

import pytest
from django.urls import reverse

from servicetime.holidays import load_holidays, official_rest_days
from servicetime.models import Holiday


def test_the_rest_days_of_2026_follow_article_74():
    assert [day for day, _name in official_rest_days(2026)] == [
        date(2026, 1, 1),
        date(2026, 2, 2),  # first Monday of February
        date(2026, 3, 16),  # third Monday of March
        date(2026, 5, 1),
        date(2026, 9, 16),
        date(2026, 11, 16),  # third Monday of November
        date(2026, 12, 25),
    ]


@pytest.mark.parametrize(
    ("year", "mondays"),
    [
        (2027, [date(2027, 2, 1), date(2027, 3, 15), date(2027, 11, 15)]),
        (2028, [date(2028, 2, 7), date(2028, 3, 20), date(2028, 11, 20)]),
    ],
)
def test_the_moved_days_fall_on_the_right_mondays(year, mondays):
    days = [day for day, _name in official_rest_days(year)]
    assert all(day in days for day in mondays)
    assert all(day.weekday() == 0 for day in mondays)


def test_the_handover_of_the_executive_is_every_six_years_only():
    assert date(2030, 10, 1) in [day for day, _name in official_rest_days(2030)]
    assert not any(day.month == 10 for year in (2026, 2027, 2028) for day, _name in official_rest_days(year))


def test_the_migration_prefills_2026_to_2028(db):
    assert Holiday.objects.count() == 21
    assert Holiday.objects.get(date=date(2026, 11, 16)).name.startswith("Día de la Revolución")


def test_loading_again_adds_nothing_and_keeps_what_staff_edited(db):
    Holiday.objects.filter(date=date(2026, 12, 25)).update(name="Navidad (oficinas cerradas)")
    Holiday.objects.create(date=date(2026, 12, 24), name="Nochebuena (día de la empresa)")
    assert load_holidays(Holiday) == 0
    assert Holiday.objects.get(date=date(2026, 12, 25)).name == "Navidad (oficinas cerradas)"
    assert Holiday.objects.count() == 22


def test_superusers_edit_them_in_admin(admin_client):
    page = admin_client.get(reverse("admin:servicetime_holiday_changelist"), {"date__year": 2026})
    assert page.status_code == 200
    assert "Día de la Revolución" in page.content.decode()
    response = admin_client.post(
        reverse("admin:servicetime_holiday_add"), {"date": "2026-12-24", "name": "Nochebuena"}, follow=True
    )
    assert response.status_code == 200
    assert Holiday.objects.filter(date=date(2026, 12, 24), name="Nochebuena").exists()


@pytest.mark.parametrize("change", ["add", "edit", "delete in admin", "load"])
def test_the_clock_reads_a_change_of_the_rest_days_at_once(admin_client, django_assert_num_queries, change):
    """The rest days are cached (issue 10): every way they change forgets that copy."""
    start = date(2026, 12, 1)
    before = Holiday.objects.dates_from(start)
    with django_assert_num_queries(0):
        assert Holiday.objects.dates_from(start) == before  # served from the cache
    if change == "add":
        Holiday.objects.create(date=date(2026, 12, 24), name="Nochebuena")
        expected = before | {date(2026, 12, 24)}
    elif change == "edit":
        holiday = Holiday.objects.get(date=date(2026, 12, 25))
        holiday.date = date(2026, 12, 26)
        holiday.save()
        expected = (before - {date(2026, 12, 25)}) | {date(2026, 12, 26)}
    elif change == "delete in admin":
        christmas = Holiday.objects.get(date=date(2026, 12, 25))
        admin_client.post(
            reverse("admin:servicetime_holiday_changelist"),
            {"action": "delete_selected", "_selected_action": [christmas.pk], "post": "yes"},
        )
        expected = before - {date(2026, 12, 25)}
    else:
        Holiday.objects.filter(date=date(2026, 12, 25)).delete()
        assert date(2026, 12, 25) not in Holiday.objects.dates_from(start)  # cached again without it
        load_holidays(Holiday)  # bulk_create sends no post_save
        expected = before
    assert Holiday.objects.dates_from(start) == expected
