"""Learned components: one small interface, one table of names, each component loaded once per process.

A learned component is a trained model that scores parsed articles (a recogniser, a typer, a relation
classifier, ...). Every one follows the same contract, after spaCy's components and scikit-learn's estimators:

- ``NAME``: the component's name in :data:`COMPONENTS`;
- ``from_disk(path)`` / ``to_disk(path)``: its weights and a ``meta.json`` that records how it was made
  (training data, command, seed, held-out scores);
- ``meta``: that record, as a dict.

What a component scores differs by component (its own methods, documented there); how it is found, loaded and
described does not. Runtime code here uses numpy or onnxruntime only; training (``kg.training``) may use
scikit-learn or torch, which are extras. Shipped weights live in ``kg/data/models/NAME/``.

>>> sorted(COMPONENTS)  # doctest: +SKIP
['relations', ...]
"""

from __future__ import annotations

import importlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar, Protocol, runtime_checkable

from kg.errors import ModelError

#: Where the shipped weights of each component live (one folder per component name).
SHIPPED = Path(__file__).resolve().parent.parent / "data" / "models"

#: component name -> "module:Class" implementing :class:`LearnedComponent` (imported only when loaded)
COMPONENTS: dict[str, str] = {
    "entities": "kg.models.entities:EntityRecogniser",
    "relations": "kg.models.relations:DocumentRelationModel",
}


@runtime_checkable
class LearnedComponent(Protocol):
    """What every learned component provides."""

    NAME: ClassVar[str]
    meta: dict[str, Any]

    @classmethod
    def from_disk(cls, path: Path) -> LearnedComponent: ...

    def to_disk(self, path: Path) -> None: ...


def component_class(name: str) -> type:
    """The class registered under ``name`` in :data:`COMPONENTS`."""
    if name not in COMPONENTS:
        raise ModelError(f"No learned component named {name!r}; the known ones are {sorted(COMPONENTS)}.")
    module_name, class_name = COMPONENTS[name].split(":")
    return getattr(importlib.import_module(module_name), class_name)


@lru_cache(maxsize=16)
def load(name: str, path: str | None = None) -> LearnedComponent:
    """Load a component once per process: the shipped weights, or those in ``path``."""
    folder = Path(path) if path is not None else SHIPPED / name
    if not folder.is_dir():
        raise ModelError(
            f"No weights for the learned component {name!r} in {folder}. Train them with `kg train {name}` "
            f"(see the README, 'Quality, measured'), or reinstall kg to get the shipped ones."
        )
    return component_class(name).from_disk(folder)


def read_meta(folder: Path) -> dict[str, Any]:
    """The ``meta.json`` record of a component's folder ({} when there is none)."""
    path = Path(folder) / "meta.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def write_meta(folder: Path, meta: dict[str, Any]) -> None:
    """Write a component's ``meta.json`` record (sorted keys, so retraining gives readable diffs)."""
    Path(folder).mkdir(parents=True, exist_ok=True)
    (Path(folder) / "meta.json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
