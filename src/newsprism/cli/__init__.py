"""The command line, one module per command group.

``app`` (the ``newsprism`` entry point) wires them together; ``common`` holds what every group
shares (consoles, ``--database``, the one-line ``error:``), and ``render`` draws articles and stories
in the terminal with Rich.
"""

from newsprism.cli.app import app, main

__all__ = ["app", "main"]
