"""Problems that stop a run before anything is published, each with one line for the user.

The CLI maps them to exit code 3 (input or output problems); validation failures are 1,
usage errors 2, and anything unexpected 4 (see flows/cli.py and the README).
"""

from __future__ import annotations


class RunRefused(Exception):
    """The run cannot go ahead as asked; the message says why and what to do."""


class OutputBusy(RunRefused):
    """Another newsledger process holds the output folder's lock."""


class OutputNotOurs(RunRefused):
    """The output folder holds files newsledger did not write, where it would publish."""


class ShrinkRefused(RunRefused):
    """The input would drop more of the published articles than allowed."""
