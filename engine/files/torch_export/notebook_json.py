"""Jupyter notebooks (nbformat 4.5) as JSON text, without the nbformat package.

A notebook is ``{"cells": [...], "metadata": ..., "nbformat": 4, "nbformat_minor": 5}``;
each cell has an ``id`` (4.5 requires it), its ``source`` as a list of lines that keep their
newlines, and a code cell has no outputs yet (``execution_count`` null).
"""

from __future__ import annotations

import json

METADATA = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}


def _lines(text: str) -> list[str]:
    return text.strip("\n").splitlines(keepends=True)


def markdown_cell(text: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": _lines(text)}


def code_cell(source: str) -> dict:
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
            "source": _lines(source)}


def notebook_json(cells: list[dict]) -> str:
    """The notebook of ``cells`` (each numbered ``cell-1``, ``cell-2``, ... as its id)."""
    numbered = [{"id": f"cell-{i}", **cell} for i, cell in enumerate(cells, 1)]
    notebook = {"cells": numbered, "metadata": METADATA, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
