"""The graph and extraction results in a notebook: inline views, pandas tables and highlighted text.

:func:`show` gives the page :func:`kg.viz.to_html` writes as an object that Jupyter, JupyterLab and VS Code draw
inline (``_repr_html_``): the page sits in an ``<iframe srcdoc>``, because JupyterLab and VS Code do not run
scripts put straight into an output cell. :func:`to_dataframes` gives the entities, the relations and the evidence
as pandas DataFrames (pandas comes with the ``notebook`` extra). :func:`result_html` is how an extraction result
(:class:`kg.model.ArticleResult`) draws itself: its text with the names highlighted, displaCy-style, and a table
of its relations.

Every text from the articles reaches the HTML escaped: in the iframe's attribute, in displaCy's markup and in
the table cells.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

import networkx as nx

from kg.errors import KGError
from kg.graph import evidence_by_sentence
from kg.model import COOCCURRENCE, ArticleResult

if TYPE_CHECKING:
    import pandas as pd

#: Pixels of the inline view: its header with the sidebar's search box, headings and hint, and each line of the
#: sidebar (an entity type or a relation; the co-occurrence box takes two), measured in Chromium.
_HEADER_HEIGHT = 340
_LINE_HEIGHT = 23
_MIN_HEIGHT = 600

#: The columns of each table of :func:`to_dataframes`, in order.
ENTITY_COLUMNS = ["id", "label", "type", "mentions", "articles", "aliases", "titles"]
RELATION_COLUMNS = ["source", "relation", "target", "source_label", "target_label", "kind", "confidence", "weight"]
EVIDENCE_COLUMNS = ["source", "relation", "target", "article", "sentence", "start", "end", "methods", "confidence"]


class View:
    """An HTML page shown inline by notebooks (``_repr_html_``), at ``height`` pixels; ``html`` is the page."""

    def __init__(self, page: str, *, height: int) -> None:
        self.html = page
        self.height = height

    def __repr__(self) -> str:
        return f"<kg.notebook.View: {len(self.html)} characters, {self.height} px high>"

    def _repr_html_(self) -> str:
        # The page's own quotes and markup are escaped into the attribute: the output cell gets no <script>.
        return (
            f'<iframe srcdoc="{html.escape(self.html, quote=True)}" '
            f'style="width: 100%; height: {self.height}px; border: 1px solid #ddd"></iframe>'
        )


def show(G: nx.MultiDiGraph, *, height: int | None = None, max_nodes: int | None = None, title: str = "kg") -> View:
    """The interactive view of ``G`` (:func:`kg.viz.to_html`), to show inline in a notebook.

    ``height`` in pixels; by default tall enough for the sidebar's filters (at least 600). ``max_nodes`` and
    ``title`` are those of :func:`kg.viz.to_html`.

    Raises
    ------
    OutputError : if ``max_nodes`` is less than 1.

    >>> G = nx.MultiDiGraph(); G.add_node("person:ada", label="Ada", type="Person", mentions=1)
    >>> show(G)._repr_html_().startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;')
    True
    """
    from kg import viz

    page = viz.to_html(G, max_nodes=max_nodes or viz.DEFAULT_MAX_NODES, title=title)
    return View(page, height=height or _fitting_height(G))


def _fitting_height(G: nx.MultiDiGraph) -> int:
    types = {attrs.get("type") for _, attrs in G.nodes(data=True)}
    relations = {relation for _, _, relation in G.edges(keys=True)}
    return max(_MIN_HEIGHT, _HEADER_HEIGHT + _LINE_HEIGHT * (len(types) + len(relations) + 2))


class Tables(NamedTuple):
    """The graph as three pandas DataFrames (see :func:`to_dataframes`)."""

    entities: pd.DataFrame
    relations: pd.DataFrame
    evidence: pd.DataFrame


def to_dataframes(G: nx.MultiDiGraph) -> Tables:
    """The entities, relations and evidence of ``G`` as pandas DataFrames.

    - ``entities``: one row per node (:data:`ENTITY_COLUMNS`; ``articles`` is a count, aliases and titles are
      joined with "; "), most mentioned first;
    - ``relations``: one row per edge (:data:`RELATION_COLUMNS`), co-occurrences included (``kind``);
    - ``evidence``: one row per relation and sentence (:data:`EVIDENCE_COLUMNS`). An edge keeps one record per
      pair of name occurrences and rule, so one sentence that names the two entities twice, or that two rules
      read, has several records; here they are one row, with the rules in ``methods`` and the highest
      confidence.

    Raises
    ------
    KGError : if pandas is not installed (``pip install 'kg[notebook]'``).

    >>> G = nx.MultiDiGraph(); G.add_node("person:ada", label="Ada", type="Person", mentions=2)
    >>> to_dataframes(G).entities[["label", "mentions"]].to_dict("records")
    [{'label': 'Ada', 'mentions': 2}]
    """
    try:
        import pandas as pd
    except ImportError as error:
        raise KGError("kg.to_dataframes needs pandas: pip install 'kg[notebook]' (or pip install pandas).") from error

    entities = pd.DataFrame(_entity_rows(G), columns=ENTITY_COLUMNS)
    entities = entities.sort_values(["mentions", "id"], ascending=[False, True], ignore_index=True)
    relations = pd.DataFrame(_relation_rows(G), columns=RELATION_COLUMNS)
    evidence = pd.DataFrame(_evidence_rows(G), columns=EVIDENCE_COLUMNS)
    return Tables(entities, relations, evidence)


def _entity_rows(G: nx.MultiDiGraph) -> Iterable[dict]:
    for node, attrs in G.nodes(data=True):
        yield {
            "id": node,
            "label": attrs.get("label") or node,
            "type": attrs.get("type", ""),
            "mentions": attrs.get("mentions", 0),
            "articles": len(attrs.get("articles", [])),
            "aliases": "; ".join(attrs.get("aliases", [])),
            "titles": "; ".join(attrs.get("titles", [])),
        }


def _relation_rows(G: nx.MultiDiGraph) -> Iterable[dict]:
    for source, target, key, attrs in sorted(G.edges(keys=True, data=True), key=lambda edge: edge[:3]):
        yield {
            "source": source,
            "relation": attrs.get("relation", key),
            "target": target,
            "source_label": G.nodes[source].get("label") or source,
            "target_label": G.nodes[target].get("label") or target,
            "kind": attrs.get("kind", ""),
            "confidence": attrs.get("confidence"),
            "weight": attrs.get("weight", len(attrs.get("evidence", []))),
        }


def _evidence_rows(G: nx.MultiDiGraph) -> Iterable[dict]:
    for source, target, key, attrs in sorted(G.edges(keys=True, data=True), key=lambda edge: edge[:3]):
        for (article, start, end), items in evidence_by_sentence(attrs.get("evidence", [])).items():
            yield {
                "source": source,
                "relation": attrs.get("relation", key),
                "target": target,
                "article": article,
                "sentence": items[0]["sentence"],
                "start": start,
                "end": end,
                "methods": ", ".join(sorted({item["method"] for item in items})),
                "confidence": max(item["confidence"] for item in items),
            }


def result_html(result: ArticleResult) -> str:
    """An extraction result as HTML: its text with each name highlighted by type (spaCy's displaCy, from the
    mentions' offsets), then a table of its relations (stated ones first, co-occurrences last)."""
    from spacy import displacy

    from kg.viz import TYPE_STYLES

    text = result.article.text
    spans, end = [], 0
    for mention in sorted(result.mentions, key=lambda m: (m.start, -m.end)):
        if mention.start >= end:  # displaCy draws no overlapping spans
            spans.append({"start": mention.start, "end": mention.end, "label": mention.type})
            end = mention.end
    colours = {name: colour + "55" for name, (colour, _, _) in TYPE_STYLES.items()}  # translucent: text stays legible
    marked = displacy.render(
        {"text": text, "ents": spans, "title": None},
        style="ent",
        manual=True,
        page=False,
        jupyter=False,
        options={"colors": colours},
    )
    labels = {entity.id: entity.label for entity in result.entities}
    relations = sorted(result.relations, key=lambda r: (r.kind == COOCCURRENCE, r.evidence.start, r.source, r.relation))
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{html.escape(str(cell))}</td>"
            for cell in (
                labels.get(r.source, r.source),
                r.relation,
                labels.get(r.target, r.target),
                r.kind,
                r.method,
                f"{r.confidence:.2f}",
            )
        )
        + "</tr>"
        for r in relations
    )
    header = "".join(f"<th>{name}</th>" for name in ("source", "relation", "target", "kind", "method", "confidence"))
    summary = (
        f"<p>{len(result.entities)} entities, {len(result.relations)} relations "
        f"({sum(r.kind != COOCCURRENCE for r in result.relations)} stated)</p>"
    )
    return f'<div class="kg-result">{marked}{summary}<table><tr>{header}</tr>{rows}</table></div>'
