"""Unsubscribe links as an email would carry them, including ones made long ago."""

import time

from django.core import signing

from academy.outbox.preferences import SALT


class SignedLongAgo(signing.TimestampSigner):
    """Signs as if the link had been made ``days`` ago."""

    def __init__(self, days: int, **options):
        super().__init__(**options)
        self.days = days

    def timestamp(self) -> str:
        return signing.b62_encode(int(time.time()) - self.days * 24 * 60 * 60)


def token_made_days_ago(days: int, user_id: int, kind: str) -> str:
    return SignedLongAgo(days, salt=SALT).sign_object({"u": user_id, "k": kind}, compress=True)
