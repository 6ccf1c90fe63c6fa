"""A real SMTP server on loopback (aiosmtpd) for the tests of the academy's emails: it records
every message it accepts, parsed, with the connection it came on, and answers as a test tells
it to (``refuse_data``: a reply to DATA instead of accepting, such as "451 …" for "try again
later"; ``refuse_recipient``: a reply to RCPT TO, such as "550 …" for an address refused for
good). It runs in a thread of the test process; the worker processes the tests start send to it
through Django's SMTP backend."""

import email
import socket
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.controller import Controller

ACCEPTED = "250 Message accepted for delivery"


@dataclass
class Mailbox:
    """What the server has seen. ``messages`` are the accepted ones, in order; ``refused`` the
    Message-IDs of the attempts it answered with a refusal; ``peers`` the client address of
    each accepted message's connection."""

    refuse_data: Callable[[EmailMessage], str | None] | None = None
    refuse_recipient: Callable[[str], str | None] | None = None
    messages: list[EmailMessage] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    peers: list[tuple] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.refuse_recipient(address) if self.refuse_recipient else None
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=default)
        with self.lock:
            reply = self.refuse_data(message) if self.refuse_data else None
            if reply:
                self.refused.append(message["Message-ID"])
                return reply
            self.messages.append(message)
            self.peers.append(session.peer)
        return ACCEPTED

    def count(self) -> int:
        with self.lock:
            return len(self.messages)

    def message_ids(self) -> Counter:
        """How many times each Message-ID arrived."""
        with self.lock:
            return Counter(message["Message-ID"] for message in self.messages)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server(**answers) -> Iterator[tuple[Mailbox, int]]:
    """A server on 127.0.0.1 and a free port, for the block: yields its mailbox and its port."""
    mailbox = Mailbox(**answers)
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


def smtp_settings(settings, port: int) -> None:
    """Point Django's SMTP backend, in this process, at the server on ``port``."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 10
