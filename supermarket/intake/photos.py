"""An optional evidence photo of a donation: the shared check (supermarket/photos.py) with intake's error codes."""
from __future__ import annotations

from ..photos import DEFAULT_MAX_BYTES, CheckedPhoto, PhotoUpload
from ..photos import check_photo as _check_photo
from .errors import BadPhoto, PhotoTooLarge

__all__ = ["DEFAULT_MAX_BYTES", "CheckedPhoto", "PhotoUpload", "check_photo"]


def check_photo(photo: PhotoUpload, *, max_bytes: int = DEFAULT_MAX_BYTES) -> CheckedPhoto:
    """Raises PhotoTooLarge (413 intake.photo_too_large) or BadPhoto (422 intake.bad_photo)."""
    return _check_photo(photo, bad=BadPhoto, too_large=PhotoTooLarge, max_bytes=max_bytes)
