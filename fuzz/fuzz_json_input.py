"""Fuzz the JSON / JSON Lines input stage with atheris.

python fuzz/fuzz_json_input.py -atheris_runs=100000        # a long run
python fuzz/fuzz_json_input.py -max_total_time=3600 corpus/  # an hour, keeping a corpus
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))

with atheris.instrument_imports(include=["hsdata", "targets"]):
    from targets import json_input


def main() -> None:
    atheris.Setup(sys.argv, json_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
