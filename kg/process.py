"""Whether this process is kg's own (the ``kg`` command) or someone else's (a notebook, a test)."""

from __future__ import annotations

own = False  # set by own_process()


def own_process() -> None:
    """Say that this process is kg's own (``kg.cli.run``): each pipeline it builds is then taken out of
    the cyclic garbage collector's reach once built (``gc.freeze``), as a worker's is (``settle``). Built
    with collections paused, the pipeline's objects would otherwise all be walked by the first
    collections after it (0.2-0.3 s of every start). Not for a process that is someone else's: an object
    frozen there that later becomes cyclic garbage would never be freed."""
    global own
    own = True
