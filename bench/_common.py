"""What the speed benchmarks share: where the articles are, and the arguments that pick them and the pipeline."""

from __future__ import annotations

import argparse
from pathlib import Path

from kg.nlp import DEFAULT_MODEL

REPO = Path(__file__).resolve().parent.parent
DEFAULT_ARTICLES = "../shared/data/news/wikinews/articles"  # relative to the repository root
WORDS = "whitespace-separated words, len(text.split()) summed over the article texts"


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    """``--articles``, ``--model``, ``--repeat`` and ``--batch-size``."""
    parser.add_argument(
        "--articles",
        default=DEFAULT_ARTICLES,
        help="folder or file of articles; relative paths are taken from the repository root (default: %(default)s)",
    )
    parser.add_argument("--model", default=DEFAULT_MODEL, help="spaCy pipeline (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=1, help="interleaved rounds; the best is kept (default: 1)")
    parser.add_argument("--batch-size", type=int, default=32, help="texts per spaCy batch (default: 32)")


def article_source(parser: argparse.ArgumentParser, args: argparse.Namespace) -> Path:
    """The ``--articles`` path (an absolute one stays as it is), after checking it and ``--repeat``."""
    source = (REPO / args.articles).resolve()
    if not source.exists():
        parser.error(f"no articles at {source}: pass a folder or file of articles with --articles PATH")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return source
