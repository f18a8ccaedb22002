"""Images aid keeps: the recipient's signature drawn on the tablet (PNG) and the photographed signed sheet of a
campaign (PNG or JPEG).

They are stored in the database (`aid_files`), not under instance/: a store node pushes its ledger rows to
central with their evidence, backups hold one thing, and nothing on disk can drift from the rows that point at
it. The bytes are checked before they are kept: the real magic number, a full decode with Pillow, a size limit and
a dimension limit, and for a signature, some ink.
"""
from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass
from io import BytesIO

from flask_babel import gettext as _
from PIL import Image, ImageChops, UnidentifiedImageError
from sqlalchemy.orm import Session

from ..auth.permissions import Actor
from .errors import BadImage, SignatureRequired
from .models import AidFile

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
SIGNATURE_MAX_BYTES = 300 * 1024
SIGNATURE_MAX_SIDE = (2000, 1000)
SIGNATURE_MIN_SIDE = (100, 40)
SIGNATURE_MIN_INK = 30  # pixels: a tap or a dot is not a signature
PHOTO_MAX_BYTES = 4 * 1024 * 1024
PHOTO_MAX_SIDE = (8000, 8000)


@dataclass(frozen=True)
class CheckedImage:
    data: bytes
    content_type: str
    width: int
    height: int


def _open(data: bytes, fmt: str, max_side: tuple[int, int]) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(BytesIO(data))
            if image.format != fmt:
                raise BadImage(_("图片格式不正确"))
            if image.width > max_side[0] or image.height > max_side[1]:
                raise BadImage(_("图片尺寸过大（最大 %(w)d×%(h)d）", w=max_side[0], h=max_side[1]))
            image.load()  # decode every byte: a truncated or forged file fails here
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as e:
        raise BadImage(_("图片无法识别或已损坏")) from e
    return image


def check_signature(data: bytes | None) -> CheckedImage:
    """A signature PNG from the tablet canvas. Raises BadImage (not a PNG, too large, corrupt) or
    SignatureRequired (blank)."""
    if not data:
        raise SignatureRequired(_("请领取人在屏幕上签名，或登记代领人"))
    if len(data) > SIGNATURE_MAX_BYTES:
        raise BadImage(_("签名图片太大（最大 %(kb)d KB）", kb=SIGNATURE_MAX_BYTES // 1024))
    if not data.startswith(PNG_MAGIC):
        raise BadImage(_("签名必须是 PNG 图片"))
    image = _open(data, "PNG", SIGNATURE_MAX_SIDE)
    if image.width < SIGNATURE_MIN_SIDE[0] or image.height < SIGNATURE_MIN_SIDE[1]:
        raise BadImage(_("签名图片太小"))
    if _ink(image) < SIGNATURE_MIN_INK:
        raise SignatureRequired(_("签名为空，请在签名框内签字"))
    return CheckedImage(data, "image/png", image.width, image.height)


def _ink(image: Image.Image) -> int:
    """Pixels that carry ink: opaque where there is alpha, dark where there is none."""
    if "A" in image.getbands() or "transparency" in image.info:
        alpha = image.convert("RGBA").getchannel("A")
        rgb = image.convert("L")
        inked = Image.eval(alpha, lambda a: 255 if a > 64 else 0)
        dark = Image.eval(rgb, lambda v: 255 if v < 200 else 0)
        mask = ImageChops.multiply(inked, dark)
    else:
        mask = Image.eval(image.convert("L"), lambda v: 255 if v < 200 else 0)
    return mask.histogram()[255]


def check_photo(data: bytes | None) -> CheckedImage:
    """A photographed sheet: PNG or JPEG up to PHOTO_MAX_BYTES. Raises BadImage."""
    if not data:
        raise BadImage(_("请选择照片"))
    if len(data) > PHOTO_MAX_BYTES:
        raise BadImage(_("照片太大（最大 %(mb)d MB）", mb=PHOTO_MAX_BYTES // (1024 * 1024)))
    if data.startswith(PNG_MAGIC):
        fmt, content_type = "PNG", "image/png"
    elif data.startswith(JPEG_MAGIC):
        fmt, content_type = "JPEG", "image/jpeg"
    else:
        raise BadImage(_("照片必须是 JPEG 或 PNG 图片"))
    image = _open(data, fmt, PHOTO_MAX_SIDE)
    return CheckedImage(data, content_type, image.width, image.height)


def store_image(session: Session, actor: Actor, *, store_id, kind: str, image: CheckedImage,
                campaign_id=None) -> AidFile:
    """Keep a checked image inside the caller's transaction."""
    row = AidFile(store_id=store_id, kind=kind, content_type=image.content_type, data=image.data,
                  sha256=hashlib.sha256(image.data).hexdigest(), size_bytes=len(image.data), width=image.width,
                  height=image.height, campaign_id=campaign_id, uploaded_by=actor.username)
    session.add(row)
    session.flush()
    return row
