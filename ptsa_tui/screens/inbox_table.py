"""The inbox's DataTable, re-rendering only the cells and lines whose values or look changed.

DataTable forgets everything it rendered on any change to the table, so one new row
re-rendered a whole screen of cells through Rich: most of what a live update cost. Here each
cell and each line is kept with the values and look it was drawn with. A row that only
moved (a row above it left) is drawn again from what was kept, with its click targets
pointed at its new place.
"""

from collections.abc import Iterable
from functools import lru_cache
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, ColumnKey, RowKey

from ptsa_tui.screens.i18n import N_, localise_bindings

Lines = list[list[Segment]]
Look = tuple[object, ...]
KEPT_CELLS = 8_000  # 200 rows of 6 columns in a few looks each
KEPT_LINES = 2_000


class InboxTable(DataTable[Text | str]):
    # DataTable binds enter without showing it, and the focused table's bindings hide the
    # screen's: shown here, Open leads the footer.
    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select_cursor", N_("Open"))]

    def __init__(self, **kwargs: Any) -> None:
        # (row, column, look) → (value, row index rendered at, lines). A look is the cell's
        # style and state: a row moving one place flips its zebra stripe, so each cell is
        # kept in both. Set first: DataTable's own set-up already clears caches.
        self._kept: LRUCache[tuple[RowKey, ColumnKey, Look], tuple[object, int, Lines]]
        self._kept = LRUCache(KEPT_CELLS)
        # (row, look of the whole line) → (the row's values, row index drawn at, the line)
        self._kept_lines: LRUCache[tuple[RowKey, Look], tuple[tuple[object, ...], int, Strip]]
        self._kept_lines = LRUCache(KEPT_LINES)
        super().__init__(**kwargs)
        localise_bindings(self)

    def _render_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        if self.cursor_type != "row" or self.fixed_columns or self.fixed_rows:
            return super()._render_line(y, x1, x2, base_style)
        try:
            row_key, line_no = self._get_offsets(y)
        except LookupError:
            return super()._render_line(y, x1, x2, base_style)
        if row_key is self._header_row_key:
            row_index = -1
            values: tuple[object, ...] = tuple(c.label for c in self.ordered_columns)
        else:
            index = self._row_locations.get(row_key)
            if index is None:
                return super()._render_line(y, x1, x2, base_style)
            row_index = index
            values = tuple(self._data[row_key].values())
        look = (
            line_no,
            row_index % 2 if self.zebra_stripes else 0,
            x1,
            x2,
            self.size.width,
            base_style,
            self.show_cursor and self.cursor_coordinate.row == row_index,
            self._show_hover_cursor and self.hover_coordinate.row == row_index,
            self._pseudo_class_state,
            tuple(column.get_render_width(self) for column in self.ordered_columns),
        )
        kept = self._kept_lines.get((row_key, look))
        if kept is not None and _same(kept[0], values):
            if kept[1] == row_index:
                return kept[2]
            strip = Strip(_moved(kept[2], row_index), kept[2].cell_length)
        else:
            strip = super()._render_line(y, x1, x2, base_style)
        self._kept_lines[row_key, look] = (values, row_index, strip)
        return strip

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> Lines:
        if column_index < 0:  # row labels: this table has none
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        column_key = self._column_locations.get_key(column_index)
        row_key = self._header_row_key if row_index < 0 else self._row_locations.get_key(row_index)
        if column_key is None or row_key is None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        if row_index < 0:
            value: object = self.columns[column_key].label
        else:
            try:
                value = self.get_cell(row_key, column_key)
            except CellDoesNotExist:
                value = None
        look = (base_style, width, cursor, hover, self._show_hover_cursor, self._pseudo_class_state)
        kept = self._kept.get((row_key, column_key, look))
        if kept is not None and (kept[0] is value or kept[0] == value):
            if kept[1] == row_index:
                return kept[2]
            lines = [_moved(line, row_index) for line in kept[2]]
        else:
            lines = super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        self._kept[row_key, column_key, look] = (value, row_index, lines)
        return lines

    def _clear_caches(self) -> None:
        super()._clear_caches()
        self._kept.clear()
        self._kept_lines.clear()

    def notify_style_update(self) -> None:
        self._kept.clear()
        self._kept_lines.clear()
        super().notify_style_update()


def _same(kept: tuple[object, ...], values: tuple[object, ...]) -> bool:
    return len(kept) == len(values) and all(
        a is b or a == b for a, b in zip(kept, values, strict=True)
    )


@lru_cache(maxsize=1024)
def _row_target(row_index: int) -> Style:
    return Style.from_meta({"row": row_index})


def _moved(segments: Iterable[Segment], row_index: int) -> list[Segment]:
    """Segments drawn for a row at another place: every click target (the `row` in a
    style's meta) points at `row_index`; nothing else changes."""
    target = _row_target(row_index)
    restyled: dict[Style | None, Style | None] = {}
    moved = []
    for text, style, control in segments:
        if style not in restyled:
            restyled[style] = style + target if style is not None and "row" in style.meta else style
        moved.append(Segment(text, restyled[style], control))
    return moved
