"""Form widgets rendered in Python where Django's template-based rendering is too slow
for a page that must stay near the speed of a bare view (issue 10).

Django renders a <select> through a template per option (select_option.html and
attrs.html): the portal list's four filter menus (40-odd options) took a quarter of
the page's template time. QuickSelect writes the same markup with format_html, every
value escaped.
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """forms.Select's markup (options, optgroups, selected, attributes), without templates."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            rendered = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((option["value"], flatatt(option["attrs"]), option["label"]) for option in options),
            )
            parts.append(format_html('<optgroup label="{}">{}</optgroup>', group_name, rendered) if group_name else rendered)
        parts.append("</select>")
        return mark_safe("".join(parts))
