"""The `hypehere` command line: argument parsing (`parser.py`) and the commands' thin
bodies (`commands.py`). What the commands need from the composition root (the container,
the server, the worker, migrations) arrives as a `CliRuntime` (`runtime.py`), built by
`bootstrap/cli.py`, which is the console script."""
