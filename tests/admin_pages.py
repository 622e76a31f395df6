"""Posting the ticket's admin page the way the browser does, for tests of several apps."""

from django.urls import reverse

# The page has two formsets of timeline entries: the read-only history ("entries")
# and the one blank form for a new interaction ("entries-2").
NEW_ENTRY_PREFIX = "entries-2"
# What the browser submits for the blank form's selects when staff leave them alone
# (the channel select starts at the ticket's own channel).
NEW_ENTRY_DEFAULTS = {"kind": "staff_reply", "body": ""}


def ticket_page_data(ticket, *, stage=None, upload=None, **entry) -> dict:
    data = {
        "stage": (stage or ticket.stage).pk,
        "subject": ticket.subject,
        "description": ticket.description,
        **{field: getattr(ticket, field) or "" for field in ticket.VEHICLE_FIELDS},
    }
    # "documents": the required documents to review (issue 11.3), none posted here.
    for prefix, total in (("documents", 0), ("entries", 0), (NEW_ENTRY_PREFIX, 1)):
        data |= {
            f"{prefix}-TOTAL_FORMS": str(total),
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1",
        }
    defaults = NEW_ENTRY_DEFAULTS | {"conversation_channel": ticket.channel}
    data |= {f"{NEW_ENTRY_PREFIX}-0-{key}": value for key, value in (defaults | entry).items()}
    if upload is not None:
        data[f"{NEW_ENTRY_PREFIX}-0-upload"] = upload
    return data


def save_ticket_page(client, ticket, *, stage=None, upload=None, **entry):
    """Post the ticket's change form as staff do, optionally with one new entry."""
    return client.post(
        reverse("admin:tickets_ticket_change", args=[ticket.pk]), ticket_page_data(ticket, stage=stage, upload=upload, **entry)
    )
