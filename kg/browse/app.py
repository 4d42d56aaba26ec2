"""The browser's server process: the endpoint of ``kg.rdf.serve`` with the browser's routes added."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from kg.browse.routes import Site
from kg.config import Config
from kg.errors import KgError
from kg.rdf.serve import Handler, Limits, Service, child_arguments, run

log = logging.getLogger(__name__)


def make_routes(service: Service, config: Config | None = None) -> tuple[Site, dict[str, Handler]]:
    """The browser over a service: its site (caches, style) and its routes."""
    site = Site(service, config)
    return site, site.routes()


def main(argv: Sequence[str] | None = None) -> int:
    """Serve a store with the browser (``python -m kg.browse --location STORE --port N ...``)."""
    args = child_arguments(argv)
    logging.basicConfig(level=logging.WARNING, format="kg serve: %(message)s")
    try:
        config = Config.load(args.config) if args.config else Config.default()
        made: dict[str, Site] = {}

        def routes(service: Service) -> dict[str, Handler]:
            made["site"], table = make_routes(service, config)
            return table

        run(args.location, args.host, args.port, args.writable, args.timeout, routes=routes,
            not_found=lambda req: made["site"].not_found(req), warm=lambda: made["site"].warm(),
            limits=Limits.of(args))
    except KgError as exc:
        print(f"kg: error: {exc}", file=sys.stderr)
        return 1
    return 0
