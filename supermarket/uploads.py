"""Uploaded files (vouchers, evidence): checked by their content (magic bytes), size and pixel dimensions before
anything is written, kept with their SHA-256. Each domain passes its own error classes, so an API caller sees
the domain's code."""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MIN_SIDE_PX = 100          # smaller than a thumbnail: nothing on it can be read
MAX_SIDE_PX = 8000         # beyond any phone camera: a decompression bomb, not a receipt
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


def check(upload: Upload, *, field: str, allow_pdf: bool, bad: type, too_large: type) -> dict:
    """The upload's checked columns (content type, size, pixels, SHA-256). Raises BadUpload, UploadTooLarge."""
    data = upload.data
    if len(data) > MAX_BYTES:
        msg = _("文件太大，上限 5 MB")
        raise too_large(msg, fields={field: [msg]})
    if not data:
        msg = _("文件是空的")
        raise bad(msg, fields={field: [msg]})
    width = height = None
    if data.startswith(b"%PDF-"):
        if not allow_pdf or b"%%EOF" not in data[-1024:]:
            msg = _("文件须为 JPEG、PNG、WebP 图片或 PDF") if allow_pdf else _("照片须为 JPEG、PNG 或 WebP 图片")
            raise bad(msg, fields={field: [msg]})
        content_type = "application/pdf"
    else:
        content_type, width, height = _image(data, field, allow_pdf, bad)
    return {"filename": (upload.filename or "")[-120:], "content_type": content_type, "size_bytes": len(data),
            "width_px": width, "height_px": height, "sha256": hashlib.sha256(data).hexdigest(), "data": data}


def _image(data: bytes, field: str, allow_pdf: bool, bad: type):
    msg = _("文件须为 JPEG、PNG、WebP 图片或 PDF") if allow_pdf else _("照片须为 JPEG、PNG 或 WebP 图片")
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, (width, height) = image.format, image.size
            if kind in IMAGE_TYPES and max(width, height) <= MAX_SIDE_PX:
                image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        kind = None
    if kind not in IMAGE_TYPES:
        raise bad(msg, fields={field: [msg]})
    if min(width, height) < MIN_SIDE_PX or max(width, height) > MAX_SIDE_PX:
        size = _("图片尺寸须在 %(low)s 到 %(high)s 像素之间", low=MIN_SIDE_PX, high=MAX_SIDE_PX)
        raise bad(size, fields={field: [size]})
    return IMAGE_TYPES[kind], width, height
