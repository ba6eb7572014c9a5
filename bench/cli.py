"""Command start-up: `ptsa --help`; `ptsa task list --json` and `ptsa task claim` against a
running embedded server; a cold `ptsa db upgrade` on a brand-new embedded server.

For the two commands, a fresh PTSA_HOME gets the demo office (`ptsa seed demo --weeks 0`) and a
request to claim per run (both unmeasured); each run lists BINAPENTA's queue as JSON and has
p1 claim one request. Their floors, alternated with them: a new Python process that imports
psycopg, connects with the same URL and runs `SELECT 1`; and the same from a two-command Typer
app (what any Typer CLI running one statement pays).

The cold upgrade runs with PTSA_HOME set to a fresh temporary directory (and no
PTSA_DATABASE_URL), so it includes initdb, starting the server, creating the database and the
migrations. After each run the server is stopped (SIGINT to the postmaster whose pid is in
pgdata/postmaster.pid: a fast shutdown) and the directory deleted. The same command run a
second time on the running server is shown for comparison.

Beside `ptsa --help`, in the same run and alternated with it, its floors: `python -c pass` and a
two-command Typer app's `--help`, with the same interpreter; the table gives ptsa ÷ each.

    .venv/bin/python bench/cli.py            # 20 x help, 20 x each command, 3 x cold upgrade
    .venv/bin/python bench/cli.py --quick    # 10 x help, 10 x each command, 1 x cold upgrade
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import Figure, at_most, console, fmt, info, median, percentile, print_figures

TARGET_HELP_MS = 300.0
TARGET_UPGRADE_S = 5.0
TARGET_COMMAND_MS = 500.0
SERVICE, UNIT, P0, P1 = "RPTKA-PENGESAHAN", "BINAPENTA", "p0", "p1"  # the demo office's
CONNECT_FLOOR = "import psycopg, sys; psycopg.connect(sys.argv[1]).execute('SELECT 1').fetchone()"
# The same through a two-command Typer app: what any Typer CLI that runs one statement pays.
TYPER_CONNECT_FLOOR = """
import typer

app = typer.Typer()


@app.command()
def query(url: str) -> None:
    import psycopg

    psycopg.connect(url).execute("SELECT 1").fetchone()


@app.command()
def bye() -> None:
    pass


app()
"""
PTSA = Path(sys.executable).with_name("ptsa")


def clean_env(home: Path) -> dict[str, str]:
    """The environment without ptsa settings that would point elsewhere, and PTSA_HOME=home."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PTSA_")}
    env["PTSA_HOME"] = str(home)
    return env


def run(args: list[str], home: Path, command: list[str] | None = None) -> float:
    """Seconds `ptsa args` (or `command args`) took; fails loudly if it fails."""
    return run_for_output(args, home, command)[0]


def run_for_output(
    args: list[str], home: Path, command: list[str] | None = None
) -> tuple[float, str]:
    """(seconds, stdout) of `ptsa args` (or `command args`); fails loudly if it fails."""
    argv = [*(command or [str(PTSA)]), *args]
    t0 = time.perf_counter()
    done = subprocess.run(argv, cwd=home, env=clean_env(home), capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr}")
    return elapsed, done.stdout


# The floors of `ptsa --help`, with the same interpreter: starting Python at all, and a Typer
# app of two commands (so a group, as ptsa is) printing its help. Not ptsa code.
TYPER_APP = """
import typer

app = typer.Typer()


@app.command()
def hello(name: str) -> None:
    print(name)


@app.command()
def bye() -> None:
    pass


app()
"""
HELP_FLOORS = {
    "python -c pass": ([sys.executable, "-c", "pass"], []),
    "Typer app --help": ([sys.executable, "-c", TYPER_APP], ["--help"]),
}


def help_times(runs: int, home: Path) -> tuple[float, list[float], dict[str, list[float]]]:
    """`ptsa --help` and its floors, alternated run by run after one unmeasured run of each:
    (ptsa's first run, ptsa's runs, each floor's runs), in ms."""
    first = run(["--help"], home) * 1000  # may pay for a cold page cache
    for command, args in HELP_FLOORS.values():
        run(args, home, command)
    helps: list[float] = []
    floors: dict[str, list[float]] = {label: [] for label in HELP_FLOORS}
    for _ in range(runs):
        helps.append(run(["--help"], home) * 1000)
        for label, (command, args) in HELP_FLOORS.items():
            floors[label].append(run(args, home, command) * 1000)
    return first, helps, floors


def stop_server(pgdata: Path, timeout: float = 30.0) -> None:
    """Fast shutdown of the postmaster named in pgdata/postmaster.pid, waiting until it is gone."""
    pid_file = pgdata / "postmaster.pid"
    if not pid_file.exists():
        return
    pid = int(pid_file.read_text().splitlines()[0])
    try:
        os.kill(pid, signal.SIGINT)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    if Path(f"/proc/{pid}").exists():
        os.kill(pid, signal.SIGKILL)


def command_times(runs: int) -> tuple[list[float], list[float], dict[str, list[float]]]:
    """(task list --json, task claim, each floor) ms per run, on a running embedded server."""
    home = Path(tempfile.mkdtemp(prefix="ptsa-bench-cli-"))
    home.chmod(0o755)  # as root, the embedded server runs as another user that must enter it
    try:
        run(["seed", "demo", "--weeks", "0"], home)
        url = run_for_output(["db", "url", "--show-password"], home)[1].strip()
        refs = [
            json.loads(
                run_for_output(
                    ["request", "new", "--service", SERVICE, "--customer", f"PT Bench {n}",
                     "--subject", "bench", "--by", P0, "--json"],
                    home,
                )[1]
            )["tracking_no"]
            for n in range(runs + 1)
        ]  # fmt: skip
        floors_of = {
            "python + psycopg connect + SELECT 1": ([sys.executable, "-c", CONNECT_FLOOR], [url]),
            "Typer app running the same": (
                [sys.executable, "-c", TYPER_CONNECT_FLOOR],
                ["query", url],
            ),
        }
        run(["task", "list", "--json", "--unit", UNIT], home)  # unmeasured: warms the caches
        run(["task", "claim", refs.pop(), "--by", P1], home)
        for command, args in floors_of.values():
            run(args, home, command)
        lists, claims = [], []
        floors: dict[str, list[float]] = {label: [] for label in floors_of}
        for ref in refs:
            lists.append(run(["task", "list", "--json", "--unit", UNIT], home) * 1000)
            claims.append(run(["task", "claim", ref, "--by", P1], home) * 1000)
            for label, (command, args) in floors_of.items():
                floors[label].append(run(args, home, command) * 1000)
    finally:
        stop_server(home / "pgdata")
        shutil.rmtree(home, ignore_errors=True)
    return lists, claims, floors


def cold_upgrade() -> tuple[float, float]:
    """(cold, warm) seconds of `ptsa db upgrade` on a new PTSA_HOME."""
    home = Path(tempfile.mkdtemp(prefix="ptsa-bench-cli-"))
    home.chmod(0o755)  # as root, the embedded server runs as another user that must enter it
    try:
        cold = run(["db", "upgrade"], home)
        warm = run(["db", "upgrade"], home)
    finally:
        stop_server(home / "pgdata")
        shutil.rmtree(home, ignore_errors=True)
    return cold, warm


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--help-runs", type=int, default=20, help="runs of `ptsa --help` (>= 10)")
    parser.add_argument("--command-runs", type=int, default=20, help="runs of each command")
    parser.add_argument("--upgrade-runs", type=int, default=3, help="cold `ptsa db upgrade` runs")
    parser.add_argument("--quick", action="store_true", help="10 x help and commands, 1 x cold")
    args = parser.parse_args()
    if args.quick:
        args.help_runs, args.command_runs, args.upgrade_runs = 10, 10, 1
    if not PTSA.exists():
        raise SystemExit(f"no ptsa script next to {sys.executable}")

    with tempfile.TemporaryDirectory(prefix="ptsa-bench-cli-") as tmp:
        first_help, helps, floors = help_times(args.help_runs, Path(tmp))
    console.print("[dim]seeding the demo office for the commands…[/]")
    lists, claims, connects = command_times(args.command_runs)
    connect = {label: median(times) for label, times in connects.items()}
    colds, warms = [], []
    for i in range(args.upgrade_runs):
        cold, warm = cold_upgrade()
        colds.append(cold)
        warms.append(warm)
        console.print(f"[dim]cold upgrade {i + 1}: {cold:.2f} s (then warm {warm:.2f} s)[/]")

    figures: list[Figure] = [
        info("ptsa script", str(PTSA)),
        info(
            "`ptsa --help` runs (after one unmeasured)", f"{len(helps)}; first {first_help:.0f} ms"
        ),
        at_most(
            "`ptsa --help` median",
            median(helps),
            TARGET_HELP_MS,
            "ms",
            0,
            {label: median(times) for label, times in floors.items()},
        ),
        at_most(
            "`ptsa --help` p90",
            percentile(helps, 90),
            TARGET_HELP_MS,
            "ms",
            0,
            {label: percentile(times, 90) for label, times in floors.items()},
        ),
        info("command runs (after one unmeasured each)", str(len(lists))),
        at_most(
            "`ptsa task list --json` median (server up)",
            median(lists),
            TARGET_COMMAND_MS,
            "ms",
            0,
            connect,
        ),
        at_most(
            "`ptsa task claim` median (server up)",
            median(claims),
            TARGET_COMMAND_MS,
            "ms",
            0,
            connect,
        ),
        info(
            "cold `ptsa db upgrade` runs",
            f"{len(colds)}: " + ", ".join(f"{c:.2f}" for c in colds) + " s",
        ),
        at_most(
            "cold `ptsa db upgrade` median (initdb included)", median(colds), TARGET_UPGRADE_S, "s"
        ),
        at_most("cold `ptsa db upgrade` worst", max(colds), TARGET_UPGRADE_S, "s"),
        info("same command again, server up, at head: median", f"{fmt(median(warms))} s"),
    ]
    print_figures("bench/cli.py: command start-up", figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
