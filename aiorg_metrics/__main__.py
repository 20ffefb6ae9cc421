"""`python -m aiorg_metrics`: the command line."""

import sys

from aiorg_metrics.cli import main

sys.exit(main())
