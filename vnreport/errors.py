"""Errors that are the user's to fix (a path, an option, a file), not bugs of ours.

The command line prints a `UserError` as one line and exits with status 2, never a
traceback. Each kind is also the built-in exception a Python caller would expect
(`FileNotFoundError`, `ValueError`), so `except ValueError` keeps working.
"""
from __future__ import annotations


class UserError(Exception):
    """A mistake in what was asked for; the message says what is wrong and what to do."""


class MissingError(UserError, FileNotFoundError):
    """A file, folder or model that is not there."""

    def __str__(self) -> str:  # OSError would print its errno tuple
        return str(self.args[0])


class BadValueError(UserError, ValueError):
    """An option value, a file's content or a saved model that cannot be used."""
