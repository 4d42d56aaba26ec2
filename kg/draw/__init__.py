"""Drawing: a graph written by ``kg build`` as a static figure (PNG, SVG) or an offline interactive page (HTML).

The drawing works on a *view* (``view``): a networkx ``MultiDiGraph`` rebuilt from the RDF, so ``kg draw``
and the notebooks draw the same thing from the same file. ``select`` cuts parts of a view, ``layout``
places its nodes, ``figure`` draws it with matplotlib, ``page`` makes the pyvis page; ``style`` reads
the colours and edge families of ``draw.toml`` from a ``Config``.

    from kg import draw
    view = draw.view_from_rdf(kg.rdf())
    draw.write(view, "seed.png")          # or .svg, .html (pyvis, JavaScript embedded: works offline)

matplotlib and pyvis are imported only when a figure or page is made (the ``draw`` extra).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import networkx as nx

from kg.config import Config
from kg.draw.figure import figure, figure_bytes
from kg.draw.layout import layout
from kg.draw.page import html
from kg.draw.select import ancestors, neighbourhood, resolve, with_families
from kg.draw.style import Family, Palette, Style
from kg.draw.view import view_from_file, view_from_rdf
from kg.errors import KgError
from kg.files import write_atomic

log = logging.getLogger(__name__)

FORMATS = (".png", ".svg", ".html")

__all__ = ["FORMATS", "Family", "Palette", "Style", "ancestors", "check_output", "draw_file", "figure",
           "figure_bytes", "html", "layout", "neighbourhood", "resolve", "view_from_file", "view_from_rdf",
           "with_families", "write"]


def check_output(path: str | Path) -> str:
    """The output kind of a path by its suffix (``.png``, ``.svg``, ``.html``); a ``KgError`` otherwise."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise KgError(f"unknown figure format {suffix or '(no suffix)'!r}; use one of {', '.join(FORMATS)}", path)
    directory = Path(path).parent
    if str(directory) and not directory.is_dir():
        raise KgError("output folder does not exist", directory)
    return suffix[1:]


def write(view: nx.MultiDiGraph, path: str | Path, title: str | None = None, kind: str = "auto",
          style: Style | None = None) -> str:
    """Draw ``view`` to ``path`` (PNG, SVG or HTML by suffix), atomically. Returns the format written."""
    fmt = check_output(path)
    path = Path(path)
    if view.number_of_nodes() == 0:
        raise KgError("nothing to draw: the graph has no claims", path)
    if fmt == "html":
        data = html(view, title, kind, style=style).encode("utf-8")
    else:
        data = figure_bytes(figure(view, title, kind, style=style), fmt)
    write_atomic(path, data)
    log.info("drew %d nodes and %d edges to %s", view.number_of_nodes(), view.number_of_edges(), path)
    return fmt


def draw_file(graph: str | Path, output: str | Path, focus: Sequence[str] = (), depth: int = 1,
              title: str | None = None, config: Config | None = None) -> nx.MultiDiGraph:
    """``kg draw``: read an RDF file, optionally keep the neighbourhood of ``focus``, and draw it, in the
    style and with the prefix map of ``config`` (default: the shipped policy)."""
    check_output(output)  # an unknown suffix fails before any work
    config = config or Config.default()
    style = Style.from_config(config)
    view = view_from_file(graph, config=config, style=style)
    if focus:
        try:
            view = neighbourhood(view, focus, depth, config=config)
        except KgError as exc:
            raise KgError(exc.message, graph) from None
    write(view, output, title, style=style)
    return view
