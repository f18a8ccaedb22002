"""Rebuild printing/fonts/: the Chinese fonts the PDFs embed, cut from Debian's fonts-noto-cjk.

    python tools/subset_font.py [--source /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc]

Two faces of Noto Sans CJK (SIL Open Font License 1.1): "Noto Sans CJK SC" for A4 documents, labels and cards,
and "Noto Sans Mono CJK SC" for the receipt roll's fixed grid. Each is subset to GB 2312 plus every character
the app, its translations and the demo use (found by reading the source tree), and its CFF outlines are
converted to TrueType quadratic outlines, because reportlab embeds TrueType outlines only.

Needs fontTools (requirements-dev.txt) and the fonts-noto-cjk Debian package (`apt-get install fonts-noto-cjk`).
Run it again after adding text in a character outside GB 2312: tests/printing/test_font_coverage.py says which.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "printing" / "fonts"
SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
# (index in the collection, output file)
FACES = ((2, "NotoSansSC-Subset.ttf"), (7, "NotoSansMonoSC-Subset.ttf"))
# Where the characters the app prints come from.
TEXT_GLOBS = ("supermarket/**/*.py", "supermarket/**/*.html", "supermarket/**/*.po",
              "printing/**/*.py")


def gb2312() -> set[str]:
    """Every character of GB 2312 (rows 0xA1–0xF7, cells 0xA1–0xFE)."""
    chars = set()
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.add(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def used_characters(root: Path = ROOT) -> set[str]:
    """Every character in the app's source, templates, translations and demo data (printable, non-control)."""
    chars = set()
    for pattern in TEXT_GLOBS:
        for path in root.glob(pattern):
            chars.update(path.read_text(encoding="utf-8", errors="ignore"))
    return {c for c in chars if c.isprintable() and c != "\ufeff"}


def wanted() -> set[int]:
    chars = gb2312() | used_characters() | {chr(c) for c in range(0x20, 0x7F)} | set("¥￥·—…“”‘’《》、。，：；！？（）【】×÷±°℃№")
    return {ord(c) for c in chars}


def to_truetype(font) -> None:
    """Replace the CFF outlines by TrueType (quadratic) ones, in place."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    font["loca"] = newTable("loca")
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    post = font["post"]
    post.formatType = 3.0  # no glyph names: smaller, and nothing reads them
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def build(source: Path, index: int, target: Path, codepoints: set[int]) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(source, fontNumber=index)
    options = subset.Options()
    options.layout_features = []  # reportlab does no shaping
    options.hinting = False
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["VORG", "vhea", "vmtx", "DSIG", "BASE", "GDEF", "GPOS", "GSUB"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    to_truetype(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(target)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    args = parser.parse_args(argv)
    if not args.source.is_file():
        print(f"{args.source} not found: apt-get install fonts-noto-cjk", file=sys.stderr)
        return 1
    codepoints = wanted()
    for index, name in FACES:
        build(args.source, index, OUT / name, codepoints)
        print(f"{name}: {len(codepoints)} code points, {(OUT / name).stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
