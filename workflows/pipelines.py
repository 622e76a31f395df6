"""Loads the area pipelines of workflows/pipelines.json into the database.

Used by a data migration (so the pipelines exist after `migrate` on an empty database)
and by the `load_pipelines` command. Loading is idempotent: areas are matched by slug
and stages by (area, name); a second run changes nothing.
"""

import json
from pathlib import Path

PIPELINES_FILE = Path(__file__).with_name("pipelines.json")


def read_pipelines() -> list[dict]:
    return json.loads(PIPELINES_FILE.read_text(encoding="utf-8"))["areas"]


def load_pipelines(area_model, stage_model, group_model) -> int:
    """Create or update every area, its team group and its stages; return rows changed."""
    changed = 0
    fields = {field.name for field in stage_model._meta.get_fields()}
    for area_position, spec in enumerate(read_pipelines()):
        group, _created = group_model.objects.get_or_create(name=spec["team_group"])
        area, created = area_model.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "description": spec["description"],
                "email": spec["email"],
                "position": area_position,
                "team": group,
            },
        )
        changed += created
        if area.team_id is None:
            area.team = group
            area.save(update_fields=["team"])
            changed += 1
        for position, stage in enumerate(spec["stages"]):
            defaults = {"description": stage["description"], "state": stage["state"], "position": position}
            # Migration 0002's historical Stage predates the flag and the target (0003
            # and 0004 add and set them).
            if "waits_on_client" in fields:
                defaults["waits_on_client"] = stage.get("waits_on_client", False)
            if "target_business_days" in fields:
                defaults["target_business_days"] = stage.get("target_business_days")
            _stage, created = stage_model.objects.get_or_create(area=area, name=stage["name"], defaults=defaults)
            changed += created
    return changed


def analyze_pipeline_tables(sender=None, using="default", **kwargs) -> None:
    """Give PostgreSQL's planner statistics for the (tiny) area and stage tables.

    Autovacuum analyzes a table after 50 changed rows; the pipelines have 36 stages,
    so without this the planner believes "state = open" matches one stage, and a
    client's "Abierto" list over a large organization runs nested loops: 1.9 s
    instead of 0.5 s on 500,000 tickets (bench/admin_changelist.py).
    """
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE workflows_area, workflows_stage")
