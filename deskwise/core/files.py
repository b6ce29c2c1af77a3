"""Uploaded files: names made safe, types decided by content, limits said clearly."""

from __future__ import annotations

import mimetypes
import re
import unicodedata

SAFE_INLINE_TYPES = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),
}
_RESERVED = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*\u202a-\u202e\u2066-\u2069]')


def safe_filename(name: str | None, *, max_length: int = 150) -> str:
    """A file name that is safe to store, show and offer for download."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFC", base)
    base = _RESERVED.sub("_", base).strip().lstrip(".").strip()
    if not base:
        return "attachment"
    if len(base) > max_length:
        stem, dot, ext = base.rpartition(".")
        if dot and 0 < len(ext) <= 16:
            base = stem[: max_length - len(ext) - 1] + "." + ext
        else:
            base = base[:max_length]
    return base


def guess_type(filename: str) -> str:
    guessed, _ = mimetypes.guess_type(filename, strict=False)
    return guessed or "application/octet-stream"


def is_inline_image(content_type: str, head: bytes) -> bool:
    """True only for raster images whose bytes say they are what they claim."""
    signatures = SAFE_INLINE_TYPES.get(content_type)
    if not signatures or not any(head.startswith(sig) for sig in signatures):
        return False
    return content_type != "image/webp" or head[8:12] == b"WEBP"


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return (
                f"{int(value)} {unit}"
                if unit == "bytes"
                else f"{value:.1f} {unit}".replace(".0 ", " ")
            )
        value /= 1024
    return f"{size} bytes"
