"""``python -m hsdata``: the same command-line interface as ``hsdata``."""

from .cli import main

if __name__ == "__main__":
    main(prog_name="hsdata")
