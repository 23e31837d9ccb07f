"""`python -m pipeline` runs the filingcheck command."""

import sys

from pipeline.commands.main import main

sys.exit(main())
