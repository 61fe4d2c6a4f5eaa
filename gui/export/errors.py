"""The one error of the figure and data exports (Qt-free, so ``--export-data`` needs no Qt)."""


class ExportError(Exception):
    """A figure or data export that failed, with a one-line message for the user."""
