"""`ptsa report ikm`'s output: a table, CSV (one row per unit, then the office) or JSON."""

import csv
import sys
from typing import Any

from ptsa_tui.store.ikm import IkmReport, Satisfaction
from ptsa_tui.store.survey import ELEMENTS

OFFICE = "office"  # the unit column of the whole office's row
CSV_HEADER = (
    "unit",
    "responses",
    *(f"nrr_u{i}" for i in range(1, len(ELEMENTS) + 1)),
    "ikm",
    "grade",
)


def _record(row: Satisfaction) -> dict[str, Any]:
    return {
        "unit": row.unit,
        "name": row.name,
        "responses": row.responses,
        "nrr": list(row.nrr) if row.nrr is not None else None,
        "ikm": row.ikm,
        "grade": row.grade,
    }


def _csv_row(row: Satisfaction) -> list[object]:
    nrr = [f"{value:.4f}" for value in row.nrr] if row.nrr else [""] * len(ELEMENTS)
    ikm = "" if row.ikm is None else f"{row.ikm:.2f}"
    return [row.unit or OFFICE, row.responses, *nrr, ikm, row.grade or ""]


def print_ikm(report: IkmReport, format: str) -> None:
    if format == "json":
        from ptsa_tui.cli.output import Clockface, print_json

        payload = {
            "from": report.start,
            "to": report.end,
            "elements": [str(element) for element in ELEMENTS],
            "units": [_record(row) for row in report.units],
            "office": _record(report.office),
        }
        print_json(payload, Clockface("UTC"))
    elif format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(CSV_HEADER)
        for row in [*report.units, report.office]:
            writer.writerow(_csv_row(row))
    else:
        _print_table(report)


def _print_table(report: IkmReport) -> None:
    from rich import box
    from rich.table import Table

    from ptsa_tui.cli.output import print_table, safe

    table = Table(
        title=f"IKM {report.start} .. {report.end}",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        padding=0,
    )
    table.add_column("unit", no_wrap=True)
    table.add_column("resp", justify="right")
    for i in range(1, len(ELEMENTS) + 1):
        table.add_column(f"U{i}", justify="right")
    table.add_column("IKM", justify="right")
    table.add_column("grade", justify="center")
    for row in report.units:
        table.add_row(*_cells(safe(row.unit), row))
    table.add_section()
    table.add_row(*_cells(OFFICE, report.office), style="bold")
    table.caption = (
        "U1..U9: "
        + "; ".join(f"{i} {element}" for i, element in enumerate(ELEMENTS, 1))
        + " (NRR, 1-4). IKM = sum(NRR x 1/9) x 25; A >= 88.31, B >= 76.61, C >= 65.00, else D."
    )
    table.caption_justify = "left"
    print_table(table)


def _cells(unit: str, row: Satisfaction) -> list[str]:
    nrr = [f"{value:.2f}" for value in row.nrr] if row.nrr else ["-"] * len(ELEMENTS)
    ikm = "-" if row.ikm is None else f"{row.ikm:.2f}"
    return [unit, f"{row.responses:,}", *nrr, ikm, row.grade or "-"]
