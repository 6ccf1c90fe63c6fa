"""The baseline for `make bench`: the smallest WSGI application there is."""


def application(environ, start_response):
    body = b"hello"
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])
    return [body]
