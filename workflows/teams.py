"""Each area's team is a Group; its members work on that area's tickets in admin."""

from django.contrib.auth.models import Permission

# What a member of an area team may do in admin. Which tickets they see is decided
# by Ticket.objects.visible_to(); these only open the doors.
TEAM_PERMISSIONS = [
    ("tickets", "view_ticket"),
    ("tickets", "add_ticket"),
    ("tickets", "change_ticket"),
    ("tickets", "view_timelineentry"),
    ("tickets", "add_timelineentry"),
    ("tickets", "view_attachment"),
    # Issue 11.3: review the documents clients send (which ones a stage asks for is
    # part of the pipelines, edited by superusers).
    ("documents", "view_ticketdocument"),
    ("documents", "change_ticketdocument"),
    ("accounts", "view_user"),
    ("accounts", "view_organization"),
    # Mail: read it, retry a failed send, turn an unknown sender's request into a ticket.
    ("emails", "view_inboundemail"),
    ("emails", "change_inboundemail"),
    ("emails", "view_outboundemail"),
    ("emails", "change_outboundemail"),
    # The staff workspace (issue 12): each team manages its areas' ready answers.
    ("workspace", "view_readyanswer"),
    ("workspace", "add_readyanswer"),
    ("workspace", "change_readyanswer"),
    ("workspace", "delete_readyanswer"),
    # The help center is written by the people who answer the questions.
    ("helpcenter", "view_article"),
    ("helpcenter", "change_article"),
    # Satisfaction surveys of their areas' tickets: read only.
    ("surveys", "view_survey"),
]


def grant_team_permissions(sender=None, using="default", **kwargs):
    from .models import Area

    if not Permission.objects.using(using).filter(content_type__app_label="tickets").exists():
        return
    permissions = [
        p
        for app_label, codename in TEAM_PERMISSIONS
        for p in Permission.objects.using(using).filter(content_type__app_label=app_label, codename=codename)
    ]
    for area in Area.objects.using(using).select_related("team").exclude(team=None):
        area.team.permissions.add(*permissions)
