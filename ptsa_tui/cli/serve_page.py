"""The page `ptsa serve` hands a browser: textual-serve's own, made to work on an intranet.

Its template loads Roboto Mono from Google Fonts, which an office intranet does not reach;
textual-serve also ships the font itself, under /static/fonts. The page served here is its
template with that link swapped for the shipped font, written to a directory of our own.
"""

import re
from pathlib import Path

PAGE = "app_index.html"
_GOOGLE_FONTS = re.compile(
    r'<link\s+rel="stylesheet"\s+href="https://fonts\.googleapis\.com[^"]*"\s*/>'
)
_SHIPPED_FONT = """<style>
      @font-face {
        font-family: "Roboto Mono";
        src: url("{{ config.static.url }}fonts/RobotoMono-VariableFont_wght.ttf") format("truetype");
        font-weight: 100 700;
        font-style: normal;
        font-display: block;
      }
      @font-face {
        font-family: "Roboto Mono";
        src: url("{{ config.static.url }}fonts/RobotoMono-Italic-VariableFont_wght.ttf")
          format("truetype");
        font-weight: 100 700;
        font-style: italic;
        font-display: block;
      }
    </style>"""


class PageChanged(Exception):
    """textual-serve's template no longer has the link this module replaces."""


def write_offline_templates(into: Path) -> Path:
    """textual-serve's templates with no request leaving the server; returns `into`."""
    import textual_serve

    source = Path(textual_serve.__file__).parent / "templates" / PAGE
    page, swapped = _GOOGLE_FONTS.subn(_SHIPPED_FONT, source.read_text(encoding="utf-8"))
    if swapped != 1 or "https://" in page:
        raise PageChanged(f"textual-serve's {PAGE} changed; the page would load from the internet")
    into.mkdir(parents=True, exist_ok=True)
    (into / PAGE).write_text(page, encoding="utf-8")
    return into
