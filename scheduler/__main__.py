"""`python -m scheduler` and the `scheduler` command: the CLI, Ctrl-C included from the
first moment (its imports take a few tenths of a second)."""

import sys

INTERRUPTED = 130
"""The exit code after Ctrl-C (128 + SIGINT, as shells report it)."""


def run() -> None:
    try:
        from scheduler.cli import main
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(INTERRUPTED)
    main()


if __name__ == "__main__":
    run()
