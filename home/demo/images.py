"""Hero images for the demo courses and case studies: simple abstract pictures drawn with
Pillow (no downloads), each stored once as a Wagtail image and found again by its title."""

import hashlib
import random
from io import BytesIO

from django.core.files.images import ImageFile

from wagtail.images import get_image_model

from PIL import Image as PILImage
from PIL import ImageDraw

from . import CREATED, UNCHANGED, UPDATED, Summary

WIDTH, HEIGHT = 1200, 600
DEFAULT_COLOURS = ("#1d3557", "#2a9d8f", "#e9c46a", "#f4a261")


def demo_image(title: str, *colours: str, summary: Summary | None = None):
    """The Wagtail image called ``title``, drawn in ``colours`` (CSS hex strings: the first is
    the background) the first time it is asked for. Later calls return the same image; if its
    file has gone missing (an emptied media folder), the picture is drawn again."""
    Image = get_image_model()
    colours = colours or DEFAULT_COLOURS
    image = Image.objects.filter(title=title).order_by("pk").first()
    if image is not None:
        if image.file and image.file.storage.exists(image.file.name):
            _record(summary, UNCHANGED, title)
            return image
        image.file = _png_file(title, colours)
        image.file_size = image.file_hash = None
        image.save()
        _record(summary, UPDATED, title)
        return image
    image = Image(title=title, file=_png_file(title, colours))
    image.save()
    _record(summary, CREATED, title)
    return image


def _record(summary: Summary | None, outcome: str, title: str) -> None:
    if summary is not None:
        summary.record("images", outcome, title)


def _png_file(title: str, colours: tuple[str, ...]) -> ImageFile:
    slug = "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")[:60]
    return ImageFile(BytesIO(draw_png(title, colours)), name=f"demo-{slug}.png")


def draw_png(title: str, colours: tuple[str, ...]) -> bytes:
    """A calm abstract picture: soft diagonal bands over the background colour and a few
    overlapping translucent circles, like separate organisations meeting in one place. The
    layout is fixed by the title, so the same title always gives the same picture."""
    rng = random.Random(hashlib.sha256(title.encode()).hexdigest())
    background, *accents = colours
    accents = accents or list(DEFAULT_COLOURS[1:])
    canvas = PILImage.new("RGB", (WIDTH, HEIGHT), background)
    # An "RGBA" drawing context blends each translucent shape with what is already there.
    draw = ImageDraw.Draw(canvas, "RGBA")
    step = WIDTH // 5
    for i in range(-2, 7):
        x = i * step + rng.randint(-40, 40)
        colour = _rgb(accents[i % len(accents)])
        draw.polygon(
            [(x, HEIGHT), (x + step // 2, HEIGHT), (x + step // 2 + 300, 0), (x + 300, 0)],
            fill=(*colour, 28),
        )
    centre_x, centre_y = WIDTH * 0.62, HEIGHT * 0.5
    for i, accent in enumerate(accents * 2):
        radius = rng.randint(110, 190)
        x = centre_x + rng.uniform(-1, 1) * 170
        y = centre_y + rng.uniform(-1, 1) * 110
        alpha = 150 if i < len(accents) else 70
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=(*_rgb(accent), alpha))

    buffer = BytesIO()
    canvas.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
