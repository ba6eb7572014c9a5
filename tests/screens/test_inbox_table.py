"""The inbox table keeps rendered cells and lines across changes: what it shows must still
be exactly what a plain DataTable shows, after edits, moves, removals and cursor moves."""

import asyncio

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from ptsa_tui.screens.inbox_table import InboxTable

COLUMNS = ("tracking", "customer", "claim")


class TwoTables(App[None]):
    """The same rows in an InboxTable and in a plain DataTable, side by side."""

    CSS = "DataTable { height: 1fr; }"
    AUTO_FOCUS = None  # focus restyles a table: keep both alike

    def compose(self) -> ComposeResult:
        yield InboxTable(id="kept", cursor_type="row", zebra_stripes=True)
        yield DataTable(id="plain", cursor_type="row", zebra_stripes=True)

    @property
    def tables(self) -> list[DataTable[Text | str]]:
        return [self.query_one("#kept", DataTable), self.query_one("#plain", DataTable)]

    def on_mount(self) -> None:
        for table in self.tables:
            for column in COLUMNS:
                table.add_column(column, key=column)
            for n in range(8):
                table.add_row(f"T-{n}", Text(f"Customer {n}"), f"{n}m left", key=str(n))

    def each(self, change: str, *args: object, **kwargs: object) -> None:
        for table in self.tables:
            getattr(table, change)(*args, **kwargs)


def lines(table: DataTable[Text | str]) -> list[str]:
    return [table.render_line(y).text for y in range(table.size.height)]


def styles_of(table: DataTable[Text | str]) -> list[list[object]]:
    """Every segment's style, click target (meta) included."""
    return [[s.style for s in table.render_line(y)] for y in range(table.size.height)]


def test_kept_renders_match_a_plain_table_through_changes() -> None:
    app = TwoTables()

    async def scenario() -> None:
        async with app.run_test(size=(60, 24)) as pilot:
            kept, plain = app.tables

            async def same() -> None:
                await pilot.pause()
                assert lines(kept) == lines(plain)
                assert styles_of(kept) == styles_of(plain)

            await same()
            assert "Customer 3" in lines(kept)[4]  # a header, then rows 0…

            app.each("update_cell", "3", "customer", Text("Renamed"))
            await same()
            assert "Renamed" in lines(kept)[4] and "Customer 3" not in "".join(lines(kept))

            app.each("remove_row", "0")  # every row moves up: zebra and click targets move
            await same()
            assert "T-1" in lines(kept)[1]
            app.each("remove_row", "1")  # two places from where they were first drawn
            await same()
            assert "T-2" in lines(kept)[1]

            app.each("add_row", "T-9", Text("Late"), "late by 5m", key="9")
            app.each("sort", "tracking", key=lambda tracking: tracking != "T-9")  # T-9 first
            await same()
            assert "T-9" in lines(kept)[1]

            for table in app.tables:
                table.move_cursor(row=3)
            await same()

    asyncio.run(scenario())


def test_a_click_after_rows_moved_selects_the_row_under_the_pointer() -> None:
    app = TwoTables()
    selected: list[str] = []

    async def scenario() -> None:
        async with app.run_test(size=(60, 24)) as pilot:
            kept = app.tables[0]
            await pilot.pause()
            app.each("remove_row", "0")
            app.each("remove_row", "1")
            await pilot.pause()
            kept.focus()
            await pilot.click("#kept", offset=(3, 3))  # header, T-2, T-3: the third line
            await pilot.click("#kept", offset=(3, 3))  # a second click selects
            await pilot.pause()
            row = kept.coordinate_to_cell_key(kept.cursor_coordinate).row_key.value
            selected.append(str(row))

    asyncio.run(scenario())
    assert selected == ["4"]
