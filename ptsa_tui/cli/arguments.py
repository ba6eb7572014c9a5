"""What every command's arguments must be, checked once before any command runs, and a
closed stdout (`ptsa … | head`), which ends a command quietly."""

import os
import select
import sys
from collections.abc import Sequence

from ptsa_tui.text_safety import quoted, visible_controls

EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a writer killed by one


def argument_problem(argv: Sequence[str]) -> str | None:
    """Why the command line cannot be taken, or None.

    On Linux, Python hands undecodable argv bytes over as lone surrogates; a C program cannot
    pass a NUL, but a caller in-process can. Neither can reach PostgreSQL's text.
    """
    for position, argument in enumerate(argv):
        if "\x00" in argument:
            return f"{_named(argv, position)} holds a NUL character: {quoted(argument)}"
        try:
            argument.encode("utf-8")
        except UnicodeEncodeError:
            return f"{_named(argv, position)} is not valid UTF-8: {quoted(argument)}"
    return None


def _named(argv: Sequence[str], position: int) -> str:
    """The name of the option an argument is the value of ("--by"), else "argument 3"."""
    argument = argv[position]
    if argument.startswith("--") and "=" in argument:
        return visible_controls(argument.partition("=")[0][:40])
    before = argv[position - 1] if position else ""
    if before.startswith("-") and "=" not in before:
        return visible_controls(before[:40])
    return f"argument {position + 1}"


def stdout_is_closed() -> bool:
    """Whether the reader of stdout has gone (the BrokenPipeError was stdout's, not a socket's):
    poll reports an error on a pipe whose read end is closed."""
    try:
        descriptor = sys.stdout.fileno()
    except (OSError, ValueError):
        return False
    poller = select.poll()
    poller.register(descriptor, select.POLLOUT)
    return any(events & (select.POLLERR | select.POLLHUP) for _, events in poller.poll(0))


def silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush cannot raise again
    (the recipe of the Python docs' note on SIGPIPE)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout without a file descriptor (a test's capture)
        pass
