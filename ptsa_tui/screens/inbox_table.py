"""The inbox's DataTable, re-rendering only the cells whose value or look changed.

DataTable forgets every rendered cell on any change to the table, so one new row re-rendered
the whole visible screen of cells through Rich: most of what a live update cost. Here each
cell's lines are kept with the value and look they were rendered for.
"""

from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, ColumnKey, RowKey

Lines = list[list[Segment]]


class InboxTable(DataTable[Text | str]):
    def __init__(self, **kwargs: Any) -> None:
        # (row, column) → (look, value, row index rendered at, lines); set first, as
        # DataTable's own set-up already clears caches.
        self._kept: dict[tuple[RowKey, ColumnKey], tuple[tuple[object, ...], object, int, Lines]]
        self._kept = {}
        super().__init__(**kwargs)

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
        kept = self._kept.get((row_key, column_key))
        if kept is not None and kept[0] == look and (kept[1] is value or kept[1] == value):
            if kept[2] == row_index:
                return kept[3]
            # The same cell moved to another row: only the click target in its style moves.
            where = Style.from_meta({"row": row_index, "column": column_index})
            lines = [list(Segment.apply_style(line, post_style=where)) for line in kept[3]]
        else:
            lines = super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        self._kept[row_key, column_key] = (look, value, row_index, lines)
        return lines

    def remove_row(self, row_key: RowKey | str) -> None:
        super().remove_row(row_key)
        key = RowKey(row_key) if isinstance(row_key, str) else row_key
        for column_key in self.columns:
            self._kept.pop((key, column_key), None)

    def _clear_caches(self) -> None:
        super()._clear_caches()
        self._kept.clear()

    def notify_style_update(self) -> None:
        self._kept.clear()
        super().notify_style_update()
