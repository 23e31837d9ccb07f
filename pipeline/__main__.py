"""`python -m pipeline` runs the filingcheck command."""

import sys

from pipeline.cli import main

sys.exit(main())
