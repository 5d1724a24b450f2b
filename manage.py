#!/usr/bin/env python
"""Django's command-line utility; the installed ``gongkai`` command does the same."""

from gongkai.cli import main

if __name__ == "__main__":
    main()
