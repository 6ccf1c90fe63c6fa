"""What a member types in their peer group's space, shown as safe HTML.

Posts and replies are plain text. To show one: the text is escaped (so HTML and script in a
post are shown as the characters typed, never run), web addresses starting ``http://`` or
``https://`` become links that tell the browser not to pass on where the reader came from
(``rel="nofollow noopener noreferrer"``), blank lines make paragraphs and single line breaks
are kept. The result then goes through nh3, a well-kept sanitiser, allowing only ``<p>``,
``<br>`` and ``<a href>`` with web and mail addresses: a second line of defence, should the
steps before it ever let something through. Nothing else (``javascript:``, ``data:``) can be a
link."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

import nh3

LINK_REL = "nofollow noopener noreferrer"
ALLOWED_TAGS = {"a", "br", "p"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}

# A web address: http(s):// then anything up to white space or a character that cannot be in
# an address as typed. Trailing punctuation is the sentence's, not the address's (below).
_URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?*"
_PARAGRAPHS = re.compile(r"\n\s*\n")


def _split_trailing(url: str) -> tuple[str, str]:
    """``("https://example.org/a_(b)", "),")`` for "https://example.org/a_(b))," : a closing
    bracket belongs to the address only when it opened one."""
    tail = ""
    while url:
        last = url[-1]
        unopened = last == ")" and url.count("(") < url.count(")")
        if last in _TRAILING or unopened:
            tail = last + tail
            url = url[:-1]
        else:
            break
    return url, tail


def _linked(line: str) -> str:
    """One line of plain text as HTML: escaped, with its web addresses as links."""
    parts, position = [], 0
    for match in _URL.finditer(line):
        url, tail = _split_trailing(match.group(0))
        parts.append(escape(line[position : match.start()]))
        if len(url) > len("https://"):
            parts.append(f'<a href="{escape(url)}">{escape(url)}</a>')
        else:
            parts.append(escape(url))
        parts.append(escape(tail))
        position = match.end()
    parts.append(escape(line[position:]))
    return "".join(parts)


def clean(html: str) -> str:
    """``html`` with nothing but paragraphs, line breaks and safe links left."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def to_html(text: str) -> SafeString:
    """A post's plain text as safe HTML: paragraphs, line breaks and links."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return mark_safe("")
    paragraphs = []
    for block in _PARAGRAPHS.split(text):
        lines = [_linked(line) for line in block.strip("\n").split("\n")]
        paragraphs.append(f"<p>{'<br>'.join(lines)}</p>")
    return mark_safe(clean("\n".join(paragraphs)))  # noqa: S308 (escaped, then sanitised)
