from ptsa_tui.cli.main import run

run()
