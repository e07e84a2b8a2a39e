"""Form widgets that render fast at field scale."""

from html import escape

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def html_attributes(attrs):
    """Attributes as Django's widget template (django/forms/widgets/attrs.html) writes them:
    in order, True as a bare name, False left out."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class QuickSelect(forms.Select):
    """A select rendered in Python: the agenda list can offer a thousand options, and the
    per-option templates of Django's Select made that the slowest part of the page. A choice
    whose label is a list is an <optgroup> of (value, label) pairs.

    Plain string joins with the standard library's escape rather than format_html per
    option: at a few hundred options format_html's own overhead dominated the form
    (docs/performance.md). Choice labels are plain text (never marked safe), so escaping
    them is right."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(item) for item in self.format_value(value)}

        def options(choices):
            return "".join(
                f'<option value="{escape(str(key))}"'
                f"{' selected' if str(key) in selected else ''}>"
                f"{escape(str(label))}</option>"
                for key, label in choices
            )

        parts = "".join(
            f'<optgroup label="{conditional_escape(key)}">{options(label)}</optgroup>'
            if isinstance(label, list | tuple)
            else options([(key, label)])
            for key, label in self.choices
        )
        attributes = html_attributes(self.build_attrs(self.attrs, attrs))
        html = f'<select name="{conditional_escape(name)}"{attributes}>{parts}</select>'
        return mark_safe(html)  # noqa: S308 - every value, label and attribute escaped above
