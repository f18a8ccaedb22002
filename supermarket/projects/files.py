"""Uploaded vouchers and photos: checked by their content (magic bytes), size and pixel dimensions before
anything is written, kept with their SHA-256, and served only to those who may see the project."""
from __future__ import annotations

from .. import uploads
from ..uploads import IMAGE_TYPES, MAX_BYTES, MAX_SIDE_PX, MIN_SIDE_PX, Upload  # noqa: F401 (re-exported)
from .errors import BadUpload, UploadTooLarge
from .models import Voucher


def check(upload: Upload, *, field: str, allow_pdf: bool) -> dict:
    """The upload's checked columns (content type, size, pixels, SHA-256). Raises BadUpload, UploadTooLarge."""
    return uploads.check(upload, field=field, allow_pdf=allow_pdf, bad=BadUpload, too_large=UploadTooLarge)


def stored(session, project_id, kind: str, upload: Upload, *, field: str, allow_pdf: bool) -> Voucher:
    """Check and add the file (inside the caller's transaction)."""
    row = Voucher(project_id=project_id, kind=kind, **check(upload, field=field, allow_pdf=allow_pdf))
    session.add(row)
    session.flush()
    return row
