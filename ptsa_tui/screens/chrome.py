"""The header and footer every desk screen wears, built in one place."""

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer, Header
from textual.widgets._footer import FooterKey

# Textual's default icon (⭘) is missing from many fonts, a browser's fallback included; this
# one is in code page 437, so every terminal font has it.
HEADER_ICON = "≡"


def desk_header() -> Header:
    return Header(icon=HEADER_ICON)


class DeskFooter(Footer):
    """The screen's keys in the order it ranks them, the most used first. Those that do not
    fit are left out whole, from the last, rather than cut mid-word; the palette (ctrl+p)
    and its keys panel still offer them."""

    def compose(self) -> ComposeResult:
        shown = list(super().compose())
        palette = [key for key in shown if key.has_class("-command-palette")]
        room = self.size.width - 1 - sum(_width(key) + 1 for key in palette)  # its border
        for key in shown:
            if key in palette:
                continue
            room -= _width(key)
            if self.size.width and room < 0:
                break
            yield key
        yield from palette

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self.recompose)


def _width(key: Widget) -> int:
    """Cells a compact footer key takes: its key, a space, its words, its right margin."""
    if not isinstance(key, FooterKey):
        return 0
    return cell_len(key.key_display) + 1 + cell_len(key.description) + 1


def desk_footer() -> Footer:
    """Compact: at 80 columns every space between keys is a key the officer does not see."""
    return DeskFooter(compact=True)
