"""``python -m kg.browse``: the browser's server process (started by ``kg serve``)."""

import sys

from kg.browse.app import main

sys.exit(main())
