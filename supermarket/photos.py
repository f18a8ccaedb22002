"""Optional evidence photos (a donation, a write-off): checked for size and real type before anything is written.

Each domain passes its own error classes, so an API caller sees the domain's code (intake.bad_photo,
inventory.bad_photo, …).
"""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
# What the tablet camera and phones produce; anything else (PDFs, SVG with scripts, HEIC) is refused.
ALLOWED = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


@dataclass(frozen=True)
class PhotoUpload:
    filename: str
    data: bytes


@dataclass(frozen=True)
class CheckedPhoto:
    content_type: str
    data: bytes
    sha256: str


def check_photo(photo: PhotoUpload, *, bad: type, too_large: type, max_bytes: int = DEFAULT_MAX_BYTES) -> CheckedPhoto:
    """The photo's real type is read from its content (not its name). Raises `too_large` or `bad`."""
    if len(photo.data) > max_bytes:
        raise too_large(_("照片太大（%(size)s），上限 %(limit)s", size=_mb(len(photo.data)), limit=_mb(max_bytes)),
                        fields={"photo": [_("照片太大")]})
    if not photo.data:
        raise bad(_("照片是空文件"), fields={"photo": [_("照片是空文件")]})
    try:
        with Image.open(io.BytesIO(photo.data)) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        kind = None
    if kind not in ALLOWED:
        raise bad(_("照片须为 JPEG、PNG 或 WebP 图片"), fields={"photo": [_("照片须为 JPEG、PNG 或 WebP 图片")]})
    return CheckedPhoto(ALLOWED[kind], photo.data, hashlib.sha256(photo.data).hexdigest())


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"
