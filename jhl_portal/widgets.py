"""Form widgets rendered in Python where Django's template-based rendering is too slow
for a page that must stay near the speed of a bare view (issue 10).

Django renders a <select> through a template per option (select_option.html and
attrs.html), after building a dict per option (optgroups(), create_option()): the
portal list's four filter menus (40-odd options) took a quarter of the page's template
time. QuickSelect writes the same markup straight from the choices, every value
escaped (Python's html.escape, which Django's escape wraps).
"""

from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """forms.Select's markup (options, optgroups, the selected one, attributes), without
    templates. Like Select, only the first option matching the value is selected."""

    def render(self, name, value, attrs=None, renderer=None):
        wanted = [str(v) for v in self.format_value(value)]
        parts = [format_html('<select name="{}"{}>', name, flatatt(self.build_attrs(self.attrs, attrs)))]

        def option(option_value, label) -> str:
            option_value = "" if option_value is None else str(option_value)
            selected = option_value in wanted
            if selected:
                wanted.clear()
            return f'<option value="{escape(option_value)}"{" selected" if selected else ""}>{escape(str(label))}</option>'

        for group_value, group_label in self.choices:
            if isinstance(group_label, (list, tuple)):
                options = "".join(option(v, label) for v, label in group_label)
                parts.append(f'<optgroup label="{escape(str(group_value))}">{options}</optgroup>')
            else:
                parts.append(option(group_value, group_label))
        parts.append("</select>")
        return mark_safe("".join(parts))
