"""The one place that chooses fonts.

Chinese must render wherever a PDF is opened or printed, so we embed a subset of a TrueType CJK font kept in the
repository, `printing/fonts/` (SIL Open Font License 1.1, text beside the files): "Noto Sans CJK SC" for A4
documents, labels and cards, and "Noto Sans Mono CJK SC" for the receipt roll's grid, both cut to GB 2312 plus
every character the app uses by `tools/subset_font.py` from Debian's fonts-noto-cjk. reportlab subsets them again
per document, embeds them (FontFile2) and writes a ToUnicode map, so text can be searched and extracted.

Only if the files are missing do we fall back to reportlab's CID font STSong-Light, which needs no file but is
not embedded: the viewer or printer driver must supply the glyphs.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR_FILE, MONO_FILE = "NotoSansSC-Subset.ttf", "NotoSansMonoSC-Subset.ttf"
REGULAR_NAME = "NotoSansSC"
MONO_NAME = "NotoSansMonoSC"
FALLBACK_NAME = "STSong-Light"


@dataclass(frozen=True)
class CJKFonts:
    """Registered reportlab font names: `regular` (proportional), `mono` (receipt grid), and whether embedded."""

    regular: str
    mono: str
    embedded: bool


def font_path() -> Path | None:
    """The folder holding the two font files, or None when they are missing."""
    found = all((FONT_DIR / name).is_file() for name in (REGULAR_FILE, MONO_FILE))
    return FONT_DIR if found else None


def load_fonts(path: Path | None) -> CJKFonts:
    """Register the fonts from the folder `path`, or the non-embedded CID fallback when `path` is None.

    Safe to call again: already-registered names are reused.
    """
    registered = set(pdfmetrics.getRegisteredFontNames())
    if path is None:
        if FALLBACK_NAME not in registered:
            pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_NAME))
        return CJKFonts(FALLBACK_NAME, FALLBACK_NAME, embedded=False)
    for name, file in ((REGULAR_NAME, REGULAR_FILE), (MONO_NAME, MONO_FILE)):
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(path / file)))
    return CJKFonts(REGULAR_NAME, MONO_NAME, embedded=True)


_lock = threading.Lock()
_fonts: CJKFonts | None = None


def register_cjk_fonts() -> CJKFonts:
    """Register the CJK fonts once per process (parsing the two 2 MB files takes a moment) and return their names."""
    global _fonts
    if _fonts is None:
        with _lock:
            if _fonts is None:
                _fonts = load_fonts(font_path())
    return _fonts
