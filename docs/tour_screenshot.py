"""Make docs/tour-notebook.png: the tour notebook, executed, rendered by nbconvert and shot in headless Chromium.

    .venv/bin/python docs/tour_screenshot.py

Runs notebooks/tour.ipynb (nbclient, the python3 kernel of this environment), writes it as HTML with nbconvert's
lab template (the inline view stays an <iframe srcdoc>, whose page runs in Chromium as in JupyterLab), and has
/usr/bin/chromium take one screenshot as tall as the page. Needs the test or notebook extra (nbconvert).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter

DOCS = Path(__file__).parent
NOTEBOOK = DOCS.parent / "notebooks" / "tour.ipynb"
WIDTH = 1280
HEIGHT = 9000  # taller than the rendered notebook: the page's white end is cropped below
CHROMIUM = [
    "/usr/bin/chromium",
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--hide-scrollbars",
    "--virtual-time-budget=20000",  # lets the view lay out its graph before the shot
    f"--window-size={WIDTH},{HEIGHT}",
]


def main(out: Path = DOCS / "tour-notebook.png") -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    ).execute()
    page, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    with tempfile.TemporaryDirectory() as folder:
        html = Path(folder) / "tour.html"
        html.write_text(page, encoding="utf-8")
        subprocess.run([*CHROMIUM, f"--screenshot={out}", html.as_uri()], check=True, capture_output=True)
    _crop(out)
    print(f"wrote {out}")


def _crop(path: Path) -> None:
    """Cut the white rows below the notebook's last output; store the image with a palette."""
    from PIL import Image, ImageChops

    image = Image.open(path).convert("RGB")
    box = ImageChops.difference(image, Image.new("RGB", image.size, "white")).getbbox()
    if box is not None:
        image = image.crop((0, 0, image.width, min(image.height, box[3] + 20)))
    image.quantize(colors=256).save(path, optimize=True)  # a palette: a fifth of the bytes, no visible loss


if __name__ == "__main__":
    main(*(Path(arg) for arg in sys.argv[1:]))
