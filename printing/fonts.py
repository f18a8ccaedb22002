"""The one place that chooses fonts.

Chinese must render wherever a PDF is opened or printed, so we embed a subset of a TrueType CJK font that the
project installs as a pip package: WenQuanYi Micro Hei from ``paperang-p2-fonts-cjk`` (a .ttc with two faces:
proportional "WenQuanYi Micro Hei" for A4 documents, labels and cards, and "WenQuanYi Micro Hei Mono" for the
receipt-roll grid). reportlab subsets and embeds them (FontFile2) and writes a ToUnicode map, so text can be
searched and extracted.

Only if that package is missing do we fall back to reportlab's CID font STSong-Light, which needs no file but is
not embedded: the viewer or printer driver must supply the glyphs.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

FONT_PACKAGE = "paperang_p2_fonts_cjk"
FONT_RESOURCE = "fonts/wqy-microhei.ttc"
REGULAR_NAME = "WQYMicroHei"
MONO_NAME = "WQYMicroHeiMono"
FALLBACK_NAME = "STSong-Light"


@dataclass(frozen=True)
class CJKFonts:
    """Registered reportlab font names: `regular` (proportional), `mono` (receipt grid), and whether embedded."""

    regular: str
    mono: str
    embedded: bool


def font_path() -> Path | None:
    """Path of the packaged TrueType collection, or None when the font package is not installed."""
    try:
        resource = resources.files(FONT_PACKAGE).joinpath(FONT_RESOURCE)
    except ModuleNotFoundError:
        return None
    # The package is installed as plain files (not zipped), so the resource has a real path.
    path = Path(str(resource))
    return path if path.is_file() else None


def load_fonts(path: Path | None) -> CJKFonts:
    """Register the fonts from `path` (a .ttc), or the non-embedded CID fallback when `path` is None.

    Safe to call again: already-registered names are reused.
    """
    registered = set(pdfmetrics.getRegisteredFontNames())
    if path is None:
        if FALLBACK_NAME not in registered:
            pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_NAME))
        return CJKFonts(FALLBACK_NAME, FALLBACK_NAME, embedded=False)
    for name, index in ((REGULAR_NAME, 0), (MONO_NAME, 1)):
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=index))
    return CJKFonts(REGULAR_NAME, MONO_NAME, embedded=True)


_lock = threading.Lock()
_fonts: CJKFonts | None = None


def register_cjk_fonts() -> CJKFonts:
    """Register the CJK fonts once per process (parsing the 5 MB .ttc takes ~0.3 s) and return their names."""
    global _fonts
    if _fonts is None:
        with _lock:
            if _fonts is None:
                _fonts = load_fonts(font_path())
    return _fonts
