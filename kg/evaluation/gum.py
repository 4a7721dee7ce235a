"""GUM (Georgetown University Multilayer corpus): the split kg keeps for measuring entities.

GUM's 65 documents (``../shared/data/gum/*.conllu``) are split once, before any error was looked at: every third
document in name order (the 1st, 4th, 7th, ...) is kept for measuring, 22 documents spread over the four genres.
Training (``kg train entities``) reads only the other 43; ``kg evaluate gum`` scores the measuring part.
"""

from __future__ import annotations

from pathlib import Path

#: The measuring documents (file stems), every third in name order; never trained or tuned on.
MEASURING = (
    "GUM_academic_art GUM_academic_economics GUM_academic_epistemic GUM_academic_huh GUM_academic_lighting "
    "GUM_academic_salinity GUM_bio_bernoulli GUM_bio_dvorak GUM_bio_fillmore GUM_bio_gordon GUM_bio_holt "
    "GUM_bio_marbles GUM_bio_padalecki GUM_court_equality GUM_court_loan GUM_court_prince GUM_voyage_chatham "
    "GUM_voyage_cuba GUM_voyage_isfahan GUM_voyage_oakland GUM_voyage_sydfynske GUM_voyage_vavau"
).split()


def document_files(folder: Path, part: str = "measuring") -> list[Path]:
    """GUM's ``.conllu`` files in ``folder``: the measuring part, the training part (``"train"``) or ``"all"``."""
    files = sorted(Path(folder).glob("GUM_*.conllu"))
    if part == "all":
        return files
    if part not in ("measuring", "train"):
        raise ValueError(f"part must be 'measuring', 'train' or 'all', not {part!r}")
    return [path for path in files if (path.stem in MEASURING) == (part == "measuring")]
