"""The first-name gender table that coreference reads (``kg/data/first_name_genders.tsv``), derived from
nomquamgender's name data (Van Buskirk et al. 2022, MIT licence; https://pypi.org/project/nomquamgender/).

nomquamgender lists, for 700,000 first names, how often 36 sources record each as a woman's name (p(gf)). kg keeps
the names it can use to tell "he" from "she": written in Latin letters, counted at least :data:`MIN_COUNT` times,
and used for one gender at least 90% of the time (the package's own default threshold). To rebuild the table:

    pip install nomquamgender==0.1.4 --no-deps && python -m kg.training.genders
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

from kg.errors import KGError

TABLE = Path(__file__).parents[1] / "data" / "first_name_genders.tsv"
MIN_COUNT = 100  # records of a name across the sources
THRESHOLD = 0.1  # a name is kept when p(gf) <= 0.1 (male) or >= 0.9 (female)
_NAME = re.compile(r"[a-z][a-z'\-]+")
_HEADER = (
    "# first name -> m or f, from nomquamgender 0.1.4 (MIT, Ian Van Buskirk), names counted >= {count} times and\n"
    "# gendered >= 90%: written by `python -m kg.training.genders` (kg/training/genders.py)\n"
)


def genders(name_data: dict[str, list]) -> dict[str, str]:
    """First name -> "m" or "f", of nomquamgender's ``name -> [sources, count, p(gf), ...]``.

    >>> genders({"anna": [35, 1528621, 0.975, 3], "jean": [31, 2525377, 0.477, 3], "karl": [31, 222983, 0.0, 3]})
    {'anna': 'f', 'karl': 'm'}
    """
    found = {}
    for name, (_, count, female, *_) in sorted(name_data.items()):
        if _NAME.fullmatch(name) and count >= MIN_COUNT and (female <= THRESHOLD or female >= 1 - THRESHOLD):
            found[name] = "f" if female >= 1 - THRESHOLD else "m"
    return found


def name_data_file() -> Path:
    """The installed nomquamgender's ``name_data.json`` (found without importing the package, which needs
    pandas)."""
    spec = importlib.util.find_spec("nomquamgender")
    if spec is None or not spec.submodule_search_locations:
        raise KGError("Deriving the gender table needs nomquamgender: pip install nomquamgender==0.1.4 --no-deps")
    return Path(next(iter(spec.submodule_search_locations))) / "name_data.json"


def write_table(out: Path = TABLE) -> int:
    """Write the table; returns the number of names."""
    table = genders(json.loads(name_data_file().read_text(encoding="utf-8")))
    lines = [f"{name}\t{gender}\n" for name, gender in table.items()]
    out.write_text(_HEADER.format(count=MIN_COUNT) + "".join(lines), encoding="utf-8")
    return len(table)


if __name__ == "__main__":
    sys.stdout.write(f"{write_table()} names written to {TABLE}\n")
