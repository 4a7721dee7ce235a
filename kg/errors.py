"""One exception family for kg: every error a user can meet says what went wrong and how to fix it."""

import errno


class KGError(Exception):
    """Base class of all kg errors."""


class InputError(KGError):
    """An input (file, folder, record) cannot be read as articles."""


class ModelError(KGError):
    """The spaCy pipeline cannot be loaded or lacks a component kg needs."""


class OutputError(KGError):
    """An output cannot be written or a format name is unknown."""


def os_error_reason(error: OSError) -> str:
    """What an operating-system error means for the user, with the fix when there is a usual one.

    >>> os_error_reason(OSError(errno.ENOSPC, "No space left on device"))
    'no space left on device: the disk is full; free some space or write elsewhere'
    """
    reason = (error.strerror or str(error)).lower()
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"{reason}: the disk is full; free some space or write elsewhere"
    if error.errno in (errno.ENOENT, errno.ENOTDIR):
        return f"{reason}. Check the folder exists"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{reason}: check the permissions of the folder, or write elsewhere"
    return reason
