"""Form widgets that write their markup in Python instead of through the form template renderer.

Django renders a <select> by including one template per <option>; a filter form
with a few hundred options (the HR registry offers every office, course and
program) spends more time there than on its database queries. These widgets
give byte for byte the markup of Django's own templates
(django/forms/widgets/select.html, input.html, attrs.html); lms/tests/test_widgets.py
compares the two, so a Django upgrade that changes the templates fails a test
instead of changing the page. Labels and values are text, as in every form here.
"""

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _attributes(attrs: dict) -> str:
    """attrs.html: ` name="value"` per attribute, ` name` for True, nothing for False."""
    return "".join(
        f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{conditional_escape("%s" % value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class Select(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]  # without Django's optgroups
        if self.allow_multiple_selected:
            widget["attrs"]["multiple"] = True
        chosen, has_selected = widget["value"], False
        out = [f'<select name="{conditional_escape(name)}"{_attributes(widget["attrs"])}>']
        for option_value, option_label in self.choices:
            if option_value is None:
                option_value = ""
            group = isinstance(option_label, (list, tuple))
            group_name = option_value if group else None
            if group_name:
                out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for subvalue, sublabel in option_label if group else [(option_value, option_label)]:
                selected = (not has_selected or self.allow_multiple_selected) and str(subvalue) in chosen
                has_selected |= selected
                out.append(
                    f'\n  <option value="{conditional_escape("%s" % subvalue)}"{" selected" if selected else ""}>'
                    f"{conditional_escape(sublabel)}</option>\n"  # select_option.html ends with a newline
                )
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>")
        return mark_safe("".join(out))


class _InputMixin:
    def render(self, name, value, attrs=None, renderer=None):
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else f' value="{conditional_escape("%s" % widget["value"])}"'
        return mark_safe(
            f'<input type="{conditional_escape(self.input_type)}" name="{conditional_escape(name)}"{shown}'
            f'{_attributes(widget["attrs"])}>'
        )


class TextInput(_InputMixin, forms.TextInput):
    pass


class DateInput(_InputMixin, forms.DateInput):
    input_type = "date"
