"""Where a reference written inside a document may lead: only into the document's own tree.

A rubric's ``extends:`` and a case file's ``rubric:`` and ``base:`` are written by whoever sent
the file, and the file is read on someone else's machine. Followed freely, ``extends:
/etc/passwd`` or ``base: ../../../home/me/.ssh/config`` would open a file the sender chose, and
its errors would quote it back. So a reference is a relative path that stays inside the
directory holding the including file (and its subfolders), or inside a directory the person
running perfscore named; the check is made on the text first, then on the real path with every
symlink followed, and always before the file is opened.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path, PureWindowsPath

from perfscore._errors import DocumentError, Location, Problem, short_repr
from perfscore._messages import Message

__all__ = ["resolve_reference"]


def _inside(path: str, root: str) -> bool:
    """True when `path` is `root` or below it (both absolute and normalised)."""
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:  # different drives
        return False


def resolve_reference(
    ref: str,
    including: str,
    *,
    what: str,
    location: Location,
    roots: Sequence[str | os.PathLike[str]] = (),
) -> Path:
    """The file `ref` names, relative to the file `including`, if it stays in an allowed tree.

    Args:
        ref: the path as written in the document.
        including: the name of the document that wrote it.
        what: the key that holds the reference, for messages (``extends``, ``base``).
        location: where the reference stands, for the error.
        roots: directories besides the including file's own that references may reach.

    Returns:
        The path to open, as the including file's folder joined with `ref` (so messages show
        the path the way it was written).

    Raises:
        DocumentError: ``path-outside-tree``, before anything at the target is opened.
    """
    tree = os.path.dirname(os.path.abspath(including))
    allowed = [tree, *(os.path.abspath(os.fspath(root)) for root in roots)]
    shown = short_repr(ref)
    folders: str = Message("path-folder-of", name=including)
    for root in roots:
        folders = Message("path-either", first=folders, second=os.fspath(root))
    hint = Message("path-hint-copy", name=including)

    def refuse(message: str) -> DocumentError:
        return DocumentError(
            Problem("path-outside-tree", message, location, subject=what, hint=hint)
        )

    if os.path.isabs(ref) or PureWindowsPath(ref).drive or ref.startswith(("/", "\\")):
        raise refuse(Message("path-absolute", path=shown, folders=folders))
    joined = os.path.normpath(os.path.join(tree, ref))
    if not any(_inside(joined, root) for root in allowed):
        raise refuse(Message("path-outside", path=shown, folders=folders))
    real = os.path.realpath(joined)
    if not any(_inside(real, os.path.realpath(root)) for root in allowed):
        raise refuse(Message("path-symlink", path=shown, folders=folders))

    return Path(including).parent / ref
