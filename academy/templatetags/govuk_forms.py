"""Template helpers that turn a Django bound field into GOV.UK Frontend markup."""

from django import forms, template

register = template.Library()

_WIDGET_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "file": "govuk-file-upload",
    "input": "govuk-input",
}


@register.filter
def govuk_kind(field) -> str:
    """What GOV.UK component a bound field is: input, textarea, select, radios, checkboxes,
    checkbox (a single boolean), file or hidden."""
    widget = field.field.widget
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "select"
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return "file"
    return "input"


def _describedby(field) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.simple_tag
def govuk_widget(field, extra_class: str = ""):
    """Render a field's widget with the GOV.UK class, error state and aria-describedby."""
    kind = govuk_kind(field)
    base = _WIDGET_CLASSES.get(kind, "govuk-input")
    classes = [base]
    if field.errors:
        classes.append(f"{base}--error")
    if extra_class:
        classes.append(extra_class)
    existing = field.field.widget.attrs.get("class", "")
    # GOV.UK guidance: no placeholder text; labels and hints say what to enter.
    attrs = {"class": " ".join(filter(None, [*classes, existing])), "placeholder": False}
    describedby = _describedby(field)
    if describedby:
        attrs["aria-describedby"] = describedby
    return field.as_widget(attrs=attrs)


@register.simple_tag
def govuk_describedby(field) -> str:
    return _describedby(field)


@register.filter
def govuk_errors(form):
    """Every error of a form as (anchor id, message), non-field errors first."""
    if not form or not hasattr(form, "errors") or not form.errors:
        return []
    items = []
    for message in form.non_field_errors():
        items.append(("", message))
    for name, field in form.fields.items():
        bound = form[name]
        for message in bound.errors:
            anchor = bound.auto_id
            kind = govuk_kind(bound)
            if kind in {"radios", "checkboxes"} and field.choices:
                anchor = f"{bound.auto_id}_0"
            items.append((anchor, message))
    return items
