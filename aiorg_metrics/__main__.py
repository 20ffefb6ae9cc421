"""`python -m aiorg_metrics`: the command line."""

import sys

from .cli import main

sys.exit(main())
