"""Reading the words of the demo academy from the TOML files in ``home/demo/data/``.

The files hold what an editor would type into the admin; the modules beside this one build
pages, snippets and users from them. Where things are:

- ``data/people.toml``: places, organisations, and a user for every role
- ``data/themes.toml``: the themes that run through courses and case studies
- ``data/rubrics.toml``: the rubrics assessments are marked against
- ``data/learners.toml`` and ``data/cohorts/``: the people on the demo cohorts, and one file per
  cohort (listed in its ``_index.toml``) with its dates, places, sessions, announcements and work
- ``data/peer_groups/``: a cohort's action learning sets, in a file named after the cohort's
  (``peer_groups/cohort-12.toml``), with the posts, meetings and commitments of a set
- ``data/pages/``: one file per page, laid out like the site's URLs. A page with children is a
  folder whose own fields are in ``_index.toml``; its list of children (``standard_pages``,
  ``case_studies``, ``courses``, ``modules`` or ``lessons``) gives their order. A page's slug is
  its file or folder name: the lesson at /courses/leading-across-organisational-boundaries/
  why-boundaries-matter/lessons-from-total-place/ is ``pages/courses/leading-across-
  organisational-boundaries/why-boundaries-matter/lessons-from-total-place.toml``. A module
  lists its ``assessments`` after its lessons.

Each kind of file is described by a dataclass (``CourseData``, ``LessonData``...) in the module
that loads it; its fields are the keys the file may hold, and those without a default are
required. A field typed ``Annotated[str, choices]`` takes only one of the choices (a list, or
Django choices such as ``Place.Kind``). :func:`read` refuses a file with a key the dataclass
does not know, a required key missing or a value of the wrong type, naming the file and the
key.

Text values
    A plain-text value may be wrapped over several lines in a ``'''...'''`` string: the lines
    are joined with single spaces. A value typed :data:`Paragraphs` (a learner's answer, an
    announcement, a piece of work) keeps its paragraphs: they are separated by blank lines.

Other values
    Whole numbers, ``true``/``false``, dates (``2010-03-18``) and times of day (``14:30:00``)
    are TOML's own. A field typed ``X | None`` may be left out (TOML has no empty value).

Rich text (fields typed :data:`RichText`)
    Paragraphs are separated by blank lines. A paragraph whose lines start with ``- `` is a
    bulleted list and one whose lines start with ``1. `` (any number) a numbered list; indent
    the lines that continue an item. A paragraph that starts with a tag (``<h3>``, ``<p><a``)
    is taken as HTML, as it is. Inline HTML (``<strong>``, ``<a href="/privacy/">``) is
    Wagtail's rich-text format; links to pages of the demo site are plain paths.

StreamField blocks (lists typed as a union of dataclasses)
    Each block is a ``[[body]]`` table, and the first field of each dataclass names its kind:
    a table with a ``quote`` key is a quote, one with an ``h2`` key a heading. The other keys
    are that block's fields.
"""

import re
import textwrap
import tomllib
import types
import typing
from dataclasses import MISSING, fields, is_dataclass
from datetime import date, time
from pathlib import Path

from django.core.management.base import CommandError

DATA = Path(__file__).resolve().parent / "data"
PAGES = DATA / "pages"
INDEX = "_index.toml"

RichText = typing.NewType("RichText", str)
"""A text value in the rich-text form described above; read as Wagtail's HTML."""

Paragraphs = typing.NewType("Paragraphs", str)
"""Plain text in paragraphs separated by blank lines; each paragraph's lines are joined with
single spaces, and the paragraphs with a blank line (``"\\n\\n"``)."""


class DemoDataError(CommandError):
    """A data file that cannot be loaded: the message names the file and what is wrong."""


def read(path: Path, schema: type):
    """The TOML file at ``path`` as an instance of the dataclass ``schema``."""
    try:
        with path.open("rb") as file:
            data = tomllib.load(file)
    except FileNotFoundError:
        raise DemoDataError(f"{shown(path)}: no such file") from None
    except tomllib.TOMLDecodeError as error:
        raise DemoDataError(f"{shown(path)}: not valid TOML ({error})") from None
    return _build(schema, data, shown(path))


def children(folder: Path, slugs: list[str], *, folders: bool) -> list[tuple[str, Path]]:
    """(slug, file) for each page listed in ``slugs``, in that order: ``<slug>.toml`` files, or
    ``<slug>/`` folders read from their ``_index.toml`` when ``folders`` is true. Every such
    file or folder in ``folder`` must be listed, so that a new page is never left out
    unnoticed."""
    where = shown(folder / INDEX)
    if folders:
        present = {p.name for p in folder.iterdir() if p.is_dir()}
        files = {slug: folder / slug / INDEX for slug in slugs}
    else:
        present = {p.stem for p in folder.glob("*.toml") if p.name != INDEX}
        files = {slug: folder / f"{slug}.toml" for slug in slugs}
    if len(files) != len(slugs):
        raise DemoDataError(f"{where}: a page is listed twice in {slugs}")
    if missing := [slug for slug in slugs if slug not in present]:
        raise DemoDataError(f"{where}: no {'folder' if folders else 'file'} for {missing}")
    if unlisted := sorted(present - set(slugs)):
        raise DemoDataError(f"{where}: {unlisted} in {shown(folder)} not listed")
    return list(files.items())


def rich_text(text: str) -> str:
    """Rich text as described in the module docstring, turned into Wagtail's HTML."""
    text = textwrap.dedent(text).strip()
    if not text:
        return ""
    html = []
    for chunk in re.split(r"\n\s*\n", text):
        lines = chunk.splitlines()
        if lines[0].startswith("- "):
            html.append(_list("ul", r"- ", lines))
        elif re.match(r"\d+\. ", lines[0]):
            html.append(_list("ol", r"\d+\. ", lines))
        else:
            paragraph = _fold(chunk)
            html.append(paragraph if paragraph.startswith("<") else f"<p>{paragraph}</p>")
    return "".join(html)


def paragraphs(text: str) -> str:
    """Plain text as described for :data:`Paragraphs`."""
    chunks = re.split(r"\n\s*\n", textwrap.dedent(text).strip())
    return "\n\n".join(_fold(chunk) for chunk in chunks if chunk.strip())


def _list(tag: str, marker: str, lines: list[str]) -> str:
    items = []
    for line in lines:
        if start := re.match(marker, line):
            items.append(line[start.end() :].strip())
        else:
            items[-1] += " " + line.strip()
    return f"<{tag}>" + "".join(f"<li>{item}</li>" for item in items) + f"</{tag}>"


def _fold(text: str) -> str:
    """The lines of ``text`` stripped and joined with single spaces."""
    return " ".join(line.strip() for line in text.strip().splitlines())


def _build(schema: type, data: dict, where: str):
    """``data`` (one TOML table) as a ``schema`` instance, each value checked and converted by
    its field's type."""
    known = {f.name: f for f in fields(schema)}
    if unknown := [key for key in data if key not in known]:
        raise DemoDataError(
            f"{where}: unknown key {', '.join(map(repr, unknown))} (expected {', '.join(known)})"
        )
    required = [
        name for name, f in known.items() if f.default is MISSING and f.default_factory is MISSING
    ]
    if missing := [name for name in required if name not in data]:
        raise DemoDataError(f"{where}: missing key {', '.join(map(repr, missing))}")
    hints = typing.get_type_hints(schema, include_extras=True)
    return schema(
        **{key: _value(hints[key], value, f"{where}: {key}") for key, value in data.items()}
    )


def _value(hint, value, where: str):
    """``value`` converted to the type ``hint``: text folded, rich text made HTML, tables made
    dataclasses; anything of the wrong type refused."""
    if hint is RichText:
        return rich_text(_expect(str, value, where))
    if hint is Paragraphs:
        return paragraphs(_expect(str, value, where))
    if typing.get_origin(hint) is typing.Annotated:
        base, choices = typing.get_args(hint)
        value = _value(base, value, where)
        allowed = list(getattr(choices, "values", choices))
        if value not in allowed:
            raise DemoDataError(f"{where} should be one of {allowed}, not {value!r}")
        return value
    if hint in (str, int, bool, date, time):
        value = _expect(hint, value, where)
        return _fold(value) if hint is str else value
    if is_dataclass(hint):
        return _build(hint, _expect(dict, value, where), where)
    if typing.get_origin(hint) is list:
        (item,) = typing.get_args(hint)
        return [_value(item, v, f"{where}[{i}]") for i, v in enumerate(_expect(list, value, where))]
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        kinds = [kind for kind in typing.get_args(hint) if kind is not types.NoneType]
        if len(kinds) == 1:  # X | None: given, so an X
            return _value(kinds[0], value, where)
        return _block(typing.get_args(hint), _expect(dict, value, where), where)
    raise TypeError(f"{where}: no reader for {hint}")


def _block(kinds: tuple[type, ...], data: dict, where: str):
    """A StreamField block: the dataclass among ``kinds`` whose first field is a key of
    ``data``."""
    for kind in kinds:
        if fields(kind)[0].name in data:
            return _build(kind, data, where)
    names = ", ".join(fields(kind)[0].name for kind in kinds)
    raise DemoDataError(f"{where}: a block needs one of the keys {names}")


def _expect(kind: type, value, where: str):
    if kind is str and isinstance(value, str):
        return value
    if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
        return value
    names = {str: "text", int: "a whole number", bool: "true or false", date: "a date"}
    names |= {time: "a time of day (14:30:00)"}
    names |= {list: "a list", dict: "a table"}
    raise DemoDataError(f"{where} should be {names[kind]}, not {value!r}")


def shown(path: Path) -> str:
    """``path`` from the project's root (``home/demo/data/pages/contact.toml``), for messages."""
    try:
        return str(path.relative_to(DATA.parents[2]))
    except ValueError:
        return str(path)
