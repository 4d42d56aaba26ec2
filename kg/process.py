"""Whether this process is kg's own (the ``kg`` command) or someone else's (a notebook, a test)."""

from __future__ import annotations

import atexit
import os
import sys
import threading
from typing import NoReturn

own = False  # set by own_process()


def own_process() -> None:
    """Say that this process is kg's own (``kg.cli.run``): each pipeline it builds is then taken out of
    the cyclic garbage collector's reach once built (``gc.freeze``), as a worker's is (``settle``). Built
    with collections paused, the pipeline's objects would otherwise all be walked by the first
    collections after it (0.2-0.3 s of every start). Not for a process that is someone else's: an object
    frozen there that later becomes cyclic garbage would never be freed."""
    global own
    own = True


def leave(rc: int) -> NoReturn:
    """End kg's own process with exit status ``rc`` once its output is flushed, without tearing down what
    it built: freeing the lexicon and the spaCy pipeline object by object took 0.3-0.6 s of every run.
    The exit handlers still run (logging, temporary folders, multiprocessing); where a thread still runs,
    the process exits as usual."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # a reader that went away; a closed stream
            pass
    if threading.active_count() > 1:
        sys.exit(rc)
    atexit._run_exitfuncs()
    os._exit(rc)
