"""The portal's ticket list as a FilterSet: every control lives in the URL (seed 001,
"Filtrar o buscar en la lista"), so a view of the list can be bookmarked and shared.
"""

import django_filters
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from jhl_portal.text import SearchField
from jhl_portal.widgets import QuickSelect
from workflows.models import Stage

from .models import Ticket

SCOPE_MINE = "mis"
SCOPE_ORGANIZATION = "organizacion"
STATE_ALL = "todos"
STATE_OPEN = "abierto"
STATE_CLOSED = "cerrado"

# URL value → the columns it sorts by; "-value" sorts descending. The primary key
# breaks ties so that a page never repeats or skips a ticket.
SORTS = {
    "numero": ("pk",),
    "asunto": ("subject_search", "pk"),
    "area": ("area__position", "pk"),
    "creado": ("created_at", "pk"),
    "actividad": ("last_activity_at", "pk"),
    "estado": ("stage__state", "stage__position", "pk"),
}
DEFAULT_SORT = "-actividad"
DEFAULTS = {"ver": SCOPE_MINE, "estado": STATE_ALL, "orden": DEFAULT_SORT}


def _sort_choices():
    return [(f"{sign}{key}", f"{sign}{key}") for key in SORTS for sign in ("", "-")]


class SearchFilter(django_filters.CharFilter):
    field_class = SearchField


class TicketFilter(django_filters.FilterSet):
    q = SearchFilter(label=_("Buscar"), method="filter_search")
    ver = django_filters.ChoiceFilter(
        label=_("Ver"),
        choices=[(SCOPE_MINE, _("Mis tickets")), (SCOPE_ORGANIZATION, _("Tickets de la organización"))],
        empty_label=None,
        method="filter_scope",
        widget=QuickSelect,
    )
    estado = django_filters.ChoiceFilter(
        label=_("Estado"),
        choices=[(STATE_ALL, _("Todos")), (STATE_OPEN, _("Abierto")), (STATE_CLOSED, _("Cerrado"))],
        empty_label=None,
        method="filter_state",
        widget=QuickSelect,
    )
    area = django_filters.ChoiceFilter(label=_("Área"), empty_label=_("Todas"), field_name="area__slug", widget=QuickSelect)
    etapa = django_filters.ChoiceFilter(label=_("Etapa"), empty_label=_("Todas"), field_name="stage_id", widget=QuickSelect)
    orden = django_filters.ChoiceFilter(choices=_sort_choices(), empty_label=None, method="filter_sort")

    class Meta:
        model = Ticket
        fields = []

    def __init__(self, data=None, *args, user, **kwargs):
        # Missing or unknown values fall back to the defaults, so /portal-de-clientes/
        # and a mangled link both show "Mis tickets", every state, newest activity first.
        data = data.copy() if data is not None else {}
        for name, default in DEFAULTS.items():
            valid = {str(value) for value, _label in self.base_filters[name].extra["choices"]}
            if data.get(name) not in valid:
                data[name] = default
        super().__init__(data, *args, **kwargs)
        self.user = user
        # Both menus from the stages with their areas, in pipeline order, as plain values
        # (forty model instances were a tenth of a list page's ORM time), cached.
        areas, grouped = {}, {}
        for pk, name, area_slug, area_name in Stage.objects.menu():
            areas[area_slug] = area_name
            grouped.setdefault(area_name, []).append((str(pk), name))
        self.filters["area"].extra["choices"] = list(areas.items())
        self.filters["etapa"].extra["choices"] = list(grouped.items())

    def filter_queryset(self, queryset):
        # A search that cannot be run (its error shows at the field) finds nothing,
        # rather than quietly listing every ticket as if nothing had been asked.
        if self.form.errors.get("q"):
            return queryset.none()
        return super().filter_queryset(queryset)

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_scope(self, queryset, name, value):
        """Each scope is one half of Ticket.objects.visible_to(user) for a client."""
        if value == SCOPE_ORGANIZATION and self.user.organization_id:
            return queryset.of_organization_of(self.user)
        return queryset.requested_by(self.user)

    def filter_state(self, queryset, name, value):
        if value == STATE_OPEN:
            return queryset.open()
        if value == STATE_CLOSED:
            return queryset.closed()
        return queryset

    def filter_sort(self, queryset, name, value):
        descending = value.startswith("-")
        fields = SORTS[value.lstrip("-")]
        return queryset.order_by(*(f"-{field}" if descending else field for field in fields))

    @property
    def is_narrowed(self) -> bool:
        """True when a search or a filter (beyond the scope and the sort) is active."""
        if self.form.errors.get("q"):
            return True
        data = self.form.cleaned_data if self.is_valid() else {}
        return bool(data.get("q") or data.get("area") or data.get("etapa") or data.get("estado") not in ("", STATE_ALL))

    @property
    def sort(self) -> str:
        return self.data.get("orden", DEFAULT_SORT)


PAGE_PARAMETER = "pagina"
# The list's own parameters, in the order a link back to the list spells them.
LIST_PARAMETERS = (*TicketFilter.base_filters, PAGE_PARAMETER)
# A list address is short; anything longer is not one of ours.
MAX_LIST_QUERY = 1000


def list_query(data: QueryDict | str) -> QueryDict:
    """The ticket list's own parameters out of `data` (a request's GET, or a query
    string carried in a link), for the way back to that list: every other parameter is
    dropped, so the link can only ever lead to the list itself (no open redirect), and
    the list cleans the values it keeps as it always does."""
    if isinstance(data, str):
        data = QueryDict(data[:MAX_LIST_QUERY])
    kept = QueryDict(mutable=True)
    for name in LIST_PARAMETERS:
        value = data.get(name, "")
        if value:
            kept[name] = value[:MAX_LIST_QUERY]
    return kept
