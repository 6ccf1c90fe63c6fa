"""A client for the site served by a real gunicorn with production settings, as a visitor's
browser reaches it through the TLS proxy: plain HTTP to gunicorn on loopback, with the header
the proxy adds (X-Forwarded-Proto: https) and the site's own host name."""

import http.client
import re
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

# The host name the production settings are given (ALLOWED_HOSTS, SITE_URL).
HOST = "academy.example"
# gunicorn binds port 0 and says which port the kernel gave it.
GUNICORN_LISTENING = re.compile(r"Listening at: http://[^\s]+:(\d+) ")
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()


class Client:
    """Plain HTTP to gunicorn, with X-Forwarded-Proto: https unless told otherwise. It keeps its
    own cookies: they are Secure, and a standard cookie jar would not send them over HTTP."""

    def __init__(self, port: int, *, timeout: float = 30):
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    def request(self, method, path, *, form=None, https=True, referer=None) -> Response:
        headers = {"Host": HOST}
        if https:
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            # Django checks the origin of every HTTPS form post, as a browser sends it.
            headers["Origin"] = f"https://{HOST}"
            headers["Referer"] = f"https://{HOST}{referer or path}"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            result = Response(response.status, response.headers, response.read())
        finally:
            connection.close()
        for header in result.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return result

    def get(self, path, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def csrf_token(self, path) -> str:
        """The CSRF token of the form on the page at ``path`` (which also sets the cookie)."""
        page = self.get(path)
        assert page.status == 200, (path, page.status)
        token = CSRF_FIELD.search(page.text)
        assert token, f"No CSRF token in the form at {path}"
        return token[1]

    def post_form(self, path, fields: dict, *, to: str | None = None) -> Response:
        """Post the form on the page at ``path`` (to ``to``, its action, when it is another
        address), with the CSRF token it carries."""
        token = self.csrf_token(path)
        return self.request(
            "POST", to or path, form={"csrfmiddlewaretoken": token, **fields}, referer=path
        )

    def ok(self, path) -> Response:
        response = self.get(path)
        assert response.status == 200, f"GET {path}: {response.status}"
        return response
