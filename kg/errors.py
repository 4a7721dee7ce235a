"""One exception family for kg: every error a user can meet says what went wrong and how to fix it."""


class KGError(Exception):
    """Base class of all kg errors."""


class InputError(KGError):
    """An input (file, folder, record) cannot be read as articles."""


class ModelError(KGError):
    """The spaCy pipeline cannot be loaded or lacks a component kg needs."""


class OutputError(KGError):
    """An output cannot be written or a format name is unknown."""
