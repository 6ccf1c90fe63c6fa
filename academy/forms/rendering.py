"""One way of rendering forms: every Django form in the academy, allauth's included, renders
with GOV.UK Frontend markup through this renderer (``{{ form }}`` or
``{{ field.as_field_group }}``). The error summary at the top of each page is
``templates/forms/govuk/error_summary.html``."""

from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "forms/govuk/form.html"
    field_template_name = "forms/govuk/field.html"
