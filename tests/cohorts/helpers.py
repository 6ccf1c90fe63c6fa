"""Reading a response the way the cohorts tests check it: its HTML, the messages it left for
the next page, and the sign-in page a visitor is sent to."""

from django.contrib.messages import get_messages
from django.urls import reverse


def html_of(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def login_url_for(path: str) -> str:
    return f"{reverse('account_login')}?next={path}"
