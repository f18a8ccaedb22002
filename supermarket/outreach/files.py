"""Uploads of the outreach records (event photos, signage photos, rule documents, the operator's agreement).

The bytes are checked before anything is written: the real type from the magic bytes (never the name or the
browser's claim), a size limit, a full decode with Pillow and a pixel limit for images, a header and an end
marker for PDFs. They are kept in the database with their SHA-256 (like aid's files: one backup, nothing on disk
to drift) and served only to those who may see the store (`get_file`).
"""
from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass
from io import BytesIO

from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError
from sqlalchemy.orm import Session

from ..auth.permissions import Actor, get_scoped
from ..photos import ALLOWED as IMAGE_TYPES
from .errors import BadUpload, UploadTooLarge
from .models import OutreachFile

MAGIC = {b"\xff\xd8\xff": "JPEG", b"\x89PNG\r\n\x1a\n": "PNG", b"RIFF": "WEBP", b"%PDF-": "PDF"}
IMAGE_MAX_BYTES = 4 * 1024 * 1024  # under the app's MAX_CONTENT_LENGTH (5 MB) with the form around it
PDF_MAX_BYTES = 4 * 1024 * 1024
MAX_SIDE_PX = 8000
MIN_SIDE_PX = 32  # a thumbnail or a tracking pixel is no evidence


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    data: bytes
    content_type: str
    sha256: str
    width: int | None
    height: int | None


def _kind(data: bytes) -> str | None:
    for magic, kind in MAGIC.items():
        if data.startswith(magic):
            if kind == "WEBP" and data[8:12] != b"WEBP":
                return None
            return kind
    return None


def check_upload(upload: Upload, *, pdf_allowed: bool, field: str = "file") -> CheckedFile:
    """Check a photo (JPEG, PNG, WebP) or, where `pdf_allowed`, a PDF. Raises BadUpload or UploadTooLarge."""
    data = upload.data or b""
    if not data:
        raise BadUpload(_("文件是空的"), fields={field: [_("文件是空的")]})
    kind = _kind(data)
    if kind is None or (kind == "PDF" and not pdf_allowed):
        wanted = _("JPEG、PNG、WebP 图片或 PDF 文件") if pdf_allowed else _("JPEG、PNG 或 WebP 图片")
        message = _("文件内容不是%(wanted)s", wanted=wanted)
        raise BadUpload(message, fields={field: [message]})
    limit = PDF_MAX_BYTES if kind == "PDF" else IMAGE_MAX_BYTES
    if len(data) > limit:
        message = _("文件太大（上限 %(mb)d MB）", mb=limit // 1024 // 1024)
        raise UploadTooLarge(message, fields={field: [message]})
    width = height = None
    if kind == "PDF":
        # A real PDF ends with its %%EOF marker (trailing whitespace allowed); a renamed file does not.
        if b"%%EOF" not in data[-1024:]:
            message = _("PDF 文件不完整或已损坏")
            raise BadUpload(message, fields={field: [message]})
        content_type = "application/pdf"
    else:
        width, height = _image_size(data, kind, field)
        content_type = IMAGE_TYPES[kind]
    name = (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1][:120]
    return CheckedFile(name, data, content_type, hashlib.sha256(data).hexdigest(), width, height)


def _image_size(data: bytes, kind: str, field: str) -> tuple[int, int]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data)) as image:
                if image.format != kind:
                    raise BadUpload(_("图片格式与内容不符"), fields={field: [_("图片格式与内容不符")]})
                size = image.size
                if max(size) > MAX_SIDE_PX:
                    message = _("图片尺寸过大（最大 %(n)d 像素）", n=MAX_SIDE_PX)
                    raise BadUpload(message, fields={field: [message]})
                if min(size) < MIN_SIDE_PX:
                    message = _("图片太小（至少 %(n)d 像素）", n=MIN_SIDE_PX)
                    raise BadUpload(message, fields={field: [message]})
                image.load()  # decode every byte: a truncated or forged file fails here
    except BadUpload:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as e:
        raise BadUpload(_("图片无法识别或已损坏"), fields={field: [_("图片无法识别或已损坏")]}) from e
    return size


def new_file(session: Session, actor: Actor, store_id, checked: CheckedFile, purpose: str, *,
             event_id=None) -> OutreachFile:
    """Add the checked file to the session (the caller's transaction writes it)."""
    row = OutreachFile(store_id=store_id, purpose=purpose, filename=checked.filename,
                       content_type=checked.content_type, size_bytes=len(checked.data), width=checked.width,
                       height=checked.height, sha256=checked.sha256, data=checked.data,
                       uploaded_by_id=actor.user_id, event_id=event_id)
    session.add(row)
    return row


def get_file(session: Session, actor: Actor, file_id) -> OutreachFile:
    """A file of a store the actor may see; NotFound otherwise (another store's file does not exist)."""
    return get_scoped(session, actor, OutreachFile, file_id)
