"""kg: turn news articles into a knowledge graph of people, countries, organisations and places.

The notebook API::

    import kg
    G = kg.build(["data/"])              # a networkx.MultiDiGraph
    result = kg.extract("Russian President Vladimir Putin met Rex Tillerson.")
    rdf_graph = kg.to_rdf(G)             # an rdflib.Graph
    kg.write_html(G, "graph.html")       # a self-contained interactive view
    kg.show(G)                           # the same view, inline in a notebook
    entities, relations, evidence = kg.to_dataframes(G)   # pandas DataFrames
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = [
    "build",
    "extract",
    "to_rdf",
    "write_rdf",
    "write_html",
    "read_json",
    "write_json",
    "write_outputs",
    "show",
    "to_dataframes",
]

_WHERE = {
    "build": "kg.pipeline",
    "extract": "kg.pipeline",
    "write_outputs": "kg.pipeline",
    "to_rdf": "kg.rdf",
    "write_rdf": "kg.rdf",
    "write_html": "kg.viz",
    "read_json": "kg.graph",
    "write_json": "kg.graph",
    "show": "kg.notebook",
    "to_dataframes": "kg.notebook",
}

if TYPE_CHECKING:
    from kg.graph import read_json, write_json
    from kg.notebook import show, to_dataframes
    from kg.pipeline import build, extract, write_outputs
    from kg.rdf import to_rdf, write_rdf
    from kg.viz import write_html


def __getattr__(name: str) -> Any:
    """Import the heavy parts (spaCy, rdflib, pyvis) only when they are used."""
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public API (what tab completion offers), loaded or not yet."""
    return sorted(set(__all__) | {name for name in globals() if not name.startswith("_")} - _NOT_API)


#: Names in the module's namespace that are not kg's API (typing helpers of this file).
_NOT_API = {"annotations", "Any", "TYPE_CHECKING"}
