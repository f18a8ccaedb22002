"""An optional evidence photo of a donation: checked for size and type before anything is written."""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError

from .errors import BadPhoto, PhotoTooLarge

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


def check_photo(photo: PhotoUpload, *, max_bytes: int = DEFAULT_MAX_BYTES) -> CheckedPhoto:
    """The photo's real type is read from its content (not its name). Raises PhotoTooLarge or BadPhoto."""
    if len(photo.data) > max_bytes:
        raise PhotoTooLarge(_("照片太大（%(size)s），上限 %(limit)s", size=_mb(len(photo.data)), limit=_mb(max_bytes)),
                            fields={"photo": [_("照片太大")]})
    if not photo.data:
        raise BadPhoto(_("照片是空文件"), fields={"photo": [_("照片是空文件")]})
    try:
        with Image.open(io.BytesIO(photo.data)) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        kind = None
    if kind not in ALLOWED:
        raise BadPhoto(_("照片须为 JPEG、PNG 或 WebP 图片"), fields={"photo": [_("照片须为 JPEG、PNG 或 WebP 图片")]})
    return CheckedPhoto(ALLOWED[kind], photo.data, hashlib.sha256(photo.data).hexdigest())


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"
