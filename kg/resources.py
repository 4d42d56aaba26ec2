"""Where the package finds its data files and the shipped lexicons."""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def data_path(name: str) -> Path:
    """A policy/data file shipped inside the package (``kg/data``)."""
    return _PKG / "data" / name


def ontologies_dir() -> Path:
    """The shipped ``ontologies/`` folder: inside an installed wheel, or beside the package in a checkout."""
    for candidate in (_PKG / "ontologies", _PKG.parent / "ontologies"):
        if (candidate / "lexicons").is_dir():
            return candidate
    raise FileNotFoundError("the shipped ontologies/lexicons folder was not found beside the kg package")
