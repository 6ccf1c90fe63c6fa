"""The forms a page shows, read from its HTML as a browser reads them: each POST form's action
and its fields (name, kind, the value it would send, the values it offers). The fuzz test and
the self-promotion test build their bodies from these, so a new form is covered by its markup
alone."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit


@dataclass
class Field:
    name: str
    kind: str  # an input's type, or "select", "textarea", "submit"
    value: str = ""  # what the browser sends if the form is submitted as it is
    options: list[str] = field(default_factory=list)  # values a select, radio or box offers
    sent: bool = True  # a checkbox or radio that is not ticked sends nothing
    multiple: bool = False
    selected: list[str] = field(default_factory=list)  # a select's chosen options


@dataclass
class Form:
    action: str  # the path the form posts to
    fields: list[Field] = field(default_factory=list)

    def names(self, *, buttons: bool = False) -> list[str]:
        """Each field name once, in the order of the page (named buttons left out, unless
        ``buttons``: a button's name and value are sent too, and a view may read them)."""
        seen = []
        for item in self.fields:
            if (buttons or item.kind != "submit") and item.name not in seen:
                seen.append(item.name)
        return seen

    def values(self) -> dict[str, list[str]]:
        """What the browser would send if the form were submitted as it is."""
        body: dict[str, list[str]] = {}
        for item in self.fields:
            if item.kind == "submit" or not item.sent:
                continue
            if item.kind == "select":
                chosen = item.selected or ([] if item.multiple else item.options[:1])
                if chosen:
                    body.setdefault(item.name, []).extend(chosen)
                continue
            body.setdefault(item.name, []).append(item.value)
        return body

    def options(self, name: str) -> list[str]:
        return [
            value for item in self.fields if item.name == name for value in item.options if value
        ]

    def kinds(self, name: str) -> set[str]:
        return {item.kind for item in self.fields if item.name == name}


class _FormReader(HTMLParser):
    def __init__(self, page_path: str, method: str = "post"):
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.method = method
        self.forms: list[Form] = []
        self.links: list[str] = []  # every link's address, as the page writes it
        self.current: Form | None = None
        self.select: Field | None = None
        self.textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if tag == "form":
            method = (attributes.get("method") or "get").lower()
            action = urlsplit(urljoin(self.page_path, attributes.get("action") or "")).path
            self.current = Form(action=action or self.page_path) if method == self.method else None
            if self.current is not None:
                self.forms.append(self.current)
            return
        if self.current is None:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = (attributes.get("type") or "text").lower()
            if kind in ("image", "reset"):
                return
            if kind == "file":  # sends nothing until a file is chosen (test_fuzz_files.py)
                self.current.fields.append(Field(name, kind, sent=False))
                return
            value = attributes.get("value")
            if kind in ("checkbox", "radio"):
                value = "on" if value is None else value
                self.current.fields.append(
                    Field(name, kind, value, [value], sent="checked" in attributes)
                )
            elif kind in ("submit", "button"):
                self.current.fields.append(Field(name, "submit", value or "", [value or ""]))
            else:
                self.current.fields.append(Field(name, kind, value or ""))
        elif tag == "button" and name:
            kind = (attributes.get("type") or "submit").lower()
            if kind == "submit":
                value = attributes.get("value") or ""
                self.current.fields.append(Field(name, "submit", value, [value]))
        elif tag == "select" and name:
            self.select = Field(name, "select", multiple="multiple" in attributes)
            self.current.fields.append(self.select)
        elif tag == "option" and self.select is not None:
            value = attributes.get("value")
            if value is not None:
                self.select.options.append(value)
                if "selected" in attributes:
                    self.select.selected.append(value)
        elif tag == "textarea" and name:
            self.textarea = Field(name, "textarea")
            self.current.fields.append(self.textarea)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            if self.textarea is not None:
                self.textarea.value = self.textarea.value.removeprefix("\n")
            self.textarea = None


def post_forms(html: str, page_path: str) -> list[Form]:
    reader = _FormReader(page_path)
    reader.feed(html)
    return reader.forms


def get_forms(html: str, page_path: str) -> list[Form]:
    """The forms that send their fields in the query string (``method="get"``, or none)."""
    reader = _FormReader(page_path, method="get")
    reader.feed(html)
    return reader.forms


def query_names(html: str, page_path: str) -> set[str]:
    """The names of the query parameters the page offers for its own address: the fields of
    its GET forms that come back to it (search, filters) and the parameters of its links that
    do (pages, sorting)."""
    names = {
        name
        for form in get_forms(html, page_path)
        if form.action == page_path
        for name in form.names(buttons=True)
    }
    reader = _FormReader(page_path)
    reader.feed(html)
    for link in reader.links:
        address = urlsplit(urljoin(page_path, link))
        if address.path == page_path and address.query:
            names.update(name for name, _ in parse_qsl(address.query, keep_blank_values=True))
    return names


def post_form_for(html: str, page_path: str, target_path: str) -> Form | None:
    """The POST form on the page at ``page_path`` that posts to ``target_path``."""
    target = urlsplit(target_path).path
    for form in post_forms(html, page_path):
        if form.action == target:
            return form
    return None
