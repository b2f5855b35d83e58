"""`python -m scheduler` and the `scheduler` command: the CLI, Ctrl-C included from the
first moment (its imports take a few tenths of a second)."""

import sys


def run() -> None:
    try:
        from scheduler.cli import main
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)  # `errors.INTERRUPTED`, not imported yet
    main()


if __name__ == "__main__":
    run()
