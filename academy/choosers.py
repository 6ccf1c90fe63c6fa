"""Wagtail's choosers (page, image, document, snippet, task) show a form field's value again when
the form comes back with errors. A value that is not an id at all — a word, a zero-width space —
makes the chooser's look-up raise ``ValueError`` while the page is drawn, so an editor who posts
one gets a 500 instead of the form with "Select a valid choice". ``tolerate_bad_ids`` makes the
chooser show "nothing chosen" for such a value, as it already does for an id that matches no
row; the field's own error still says what is wrong."""

from django.core.exceptions import ValidationError

from wagtail.admin.widgets.chooser import BaseChooser


def tolerate_bad_ids() -> None:
    get_instance = BaseChooser.get_instance
    if getattr(get_instance, "tolerates_bad_ids", False):
        return

    def get_instance_or_none(self, value):
        try:
            return get_instance(self, value)
        except (ValueError, TypeError, ValidationError):
            return None

    get_instance_or_none.tolerates_bad_ids = True
    BaseChooser.get_instance = get_instance_or_none
