#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    from django.core.management import execute_from_command_line

    from backend.database_check import stop_if_unreachable

    # A database that cannot be reached is one line on standard error, not a traceback.
    with stop_if_unreachable():
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
