"""The vendored fonts hold every character the app, its translations and the demo can print (and GB 2312)."""
import importlib.util
from pathlib import Path

from reportlab.pdfbase.ttfonts import TTFontFile

from printing import fonts

ROOT = Path(__file__).resolve().parents[2]


def _subset_tool():
    spec = importlib.util.spec_from_file_location("subset_font", ROOT / "tools" / "subset_font.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _missing(file_name: str, chars: set[str]) -> list[str]:
    covered = TTFontFile(str(fonts.FONT_DIR / file_name)).charToGlyph
    # Spaces and marks the layout never draws as glyphs (zero-width, variation selectors) need no glyph.
    return sorted(c for c in chars if ord(c) not in covered and not c.isspace() and ord(c) > 0x20
                  and not 0xFE00 <= ord(c) <= 0xFE0F and ord(c) not in (0x200B, 0x200D))


def test_every_character_in_templates_messages_and_demo_is_in_both_fonts():
    used = _subset_tool().used_characters(ROOT)
    assert "慈" in used and "¥" in used
    for name in (fonts.REGULAR_FILE, fonts.MONO_FILE):
        missing = _missing(name, used)
        assert not missing, f"{name} lacks {''.join(missing)!r}: run tools/subset_font.py"


def test_the_fonts_cover_gb2312():
    gb = _subset_tool().gb2312()
    assert len(gb) > 7000
    assert _missing(fonts.REGULAR_FILE, gb) == []


def test_the_licence_is_beside_the_fonts():
    text = (fonts.FONT_DIR / "OFL.txt").read_text()
    assert "SIL OPEN FONT LICENSE Version 1.1" in text and "Modified Version" in text
