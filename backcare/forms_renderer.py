"""How every form field renders: label, control, error right under it, then help."""

from django.forms.renderers import TemplatesSetting


class FieldFirstRenderer(TemplatesSetting):
    field_template_name = "components/field.html"
