#!/usr/bin/env python
"""Django's usual entry point; ``deskwise`` is the same command."""

from deskwise.cli import main

if __name__ == "__main__":
    main()
