"""One failure path for the screens' workers: the officer is told, the spinner stops.

`Worker.StateChanged` does not bubble, so the app never hears of a screen's workers; each
screen that loads data hands its workers' state changes here.
"""

from collections.abc import Callable

from textual.widget import Widget
from textual.worker import Worker, WorkerState

from ptsa_tui.screens.errors import describe


def report_failure(
    node: Widget, event: Worker.StateChanged, clear: Callable[[Worker[object]], None]
) -> None:
    """On a failed worker: say why in the officer's language, then let `clear` undo the
    loading state the worker left behind."""
    if event.state is not WorkerState.ERROR or event.worker.error is None:
        return
    node.notify(describe(event.worker.error), severity="error", timeout=8)
    clear(event.worker)
