"""The words every message shares: how a problem is laid out (hint, details), severities,
and why a file could not be opened or written."""

from __future__ import annotations

from typing import Final

#: ``{language: {key: template}}``; see `perfscore._messages`.
TABLE: Final[dict[str, dict[str, str]]] = {
    "en": {
        "hint": "hint: {hint}",
        "problems": "{count} problems",
        "severity-error": "error",
        "severity-warning": "warning",
        "severity-note": "note",
        # why a file could not be opened or written (the system's own words, in every language)
        "os-not-found": "no such file or folder",
        "os-permission": "permission denied",
        "os-no-space": "no space left on the disk",
        "os-is-folder": "it is a folder",
        "os-not-a-folder": "a part of the path is not a folder",
        "os-read-only": "the disk is read-only",
        # what to do about it, when the file was to be written
        "os-hint-no-folder": "make the folder {folder!r} first, or write the output elsewhere",
        "os-hint-permission": "write the output where you may write",
        "os-hint-is-folder": "a folder stands where the file goes: rename it, or write elsewhere",
        "os-hint-no-space": "free some space, or write the output elsewhere",
        "os-hint-elsewhere": "write the output elsewhere",
    },
    "zh": {
        "hint": "提示：{hint}",
        "problems": "共 {count} 个问题",
        "severity-error": "错误",
        "severity-warning": "警告",
        "severity-note": "提示",
        "os-not-found": "文件或文件夹不存在",
        "os-permission": "没有权限",
        "os-no-space": "磁盘空间不足",
        "os-is-folder": "这是一个文件夹",
        "os-not-a-folder": "路径中有一部分不是文件夹",
        "os-read-only": "磁盘是只读的",
        "os-hint-no-folder": "先创建文件夹 {folder!r}，或把输出写到别处",
        "os-hint-permission": "把输出写到有写入权限的地方",
        "os-hint-is-folder": "该位置已有同名文件夹：把它改名，或把输出写到别处",
        "os-hint-no-space": "腾出磁盘空间，或把输出写到别处",
        "os-hint-elsewhere": "把输出写到别处",
    },
}
