#!/usr/bin/env python
"""The example intranet's command-line utility."""

import os
import sys
from pathlib import Path

if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here))
    sys.path.insert(1, str(here.parent))  # run from a checkout without installing the package
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intranet.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
