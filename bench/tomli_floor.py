"""The floor for a first (uncached) run: parse every fact file of a directory with tomli, and nothing else.

python bench/tomli_floor.py DIR
"""

import sys
from pathlib import Path

import tomli


def main(directory: str) -> int:
    files = 0
    for path in sorted(Path(directory).glob("*.toml")):
        if path.name.startswith(".") or not path.is_file():
            continue
        with path.open("rb") as handle:
            tomli.load(handle)
        files += 1
    print(f"parsed {files} files")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
