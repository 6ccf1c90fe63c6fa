"""Form fields the academy's forms share."""

from django import forms

from ..names import clean_name


class NameField(forms.CharField):
    """A name people read (see ``academy.names``): cleaned before its length is checked, so
    invisible characters neither count nor reach the database. ``subject`` begins the error
    messages: "Your name must include at least one letter or number"."""

    def __init__(self, *, subject: str, **kwargs):
        self.subject = subject
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return clean_name(value, subject=self.subject)
