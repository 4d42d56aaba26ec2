"""The environment the benchmarks start fresh kg processes in: the caller's, as a user's shell has it, but
with Python's bytecode cache on. A sandbox or CI runner that sets ``PYTHONDONTWRITEBYTECODE`` makes every
start compile kg's own modules from source (about 0.3–0.5 s here), which no installed kg pays."""

from __future__ import annotations

import os

CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
