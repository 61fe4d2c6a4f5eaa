"""Make resources/fonts/DescentLabSC.otf: the Chinese glyphs the window needs, from Noto Sans CJK SC.

    pip install fonttools   # a tool of this script only, not a dependency of the app
    python packaging/make_cjk_font.py [--source NotoSansCJK-Regular.ttc]

A machine without a CJK font (a bare Linux, a lecture-hall PC with a trimmed install) shows
every Chinese character as a box. The app therefore carries a subset of Noto Sans CJK SC
(SIL Open Font License 1.1, resources/fonts/OFL.txt), registered as a fallback: the system's
own fonts come first wherever they have the glyph. The subset holds GB 2312's 6,763
characters (every character of everyday simplified Chinese: a label a user types in
Chinese shows too), CJK punctuation and full-width forms, and every character of the
translations (resources/translations), so a new translated word can never be a box: run
this again after translating (tests/test_cjk_font.py says when).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "fonts" / "DescentLabSC.otf"
FAMILY = "Descent Lab SC"
DEFAULT_SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")  # Debian's fonts-noto-cjk
SC_INDEX = 2  # Noto Sans CJK SC in the collection


def gb2312() -> set[str]:
    chars = set()
    for hi in range(0xB0, 0xF8):  # the hanzi rows of GB 2312 (levels 1 and 2)
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def translation_chars() -> set[str]:
    chars = set()
    for path in (ROOT / "resources").rglob("*"):
        if path.suffix in (".ts", ".toml", ".tsv") and path.is_file():
            chars |= set(path.read_text(encoding="utf-8"))
    return {c for c in chars if ord(c) > 0x2E7F}  # CJK and beyond: the rest is in every font


def wanted() -> set[str]:
    punctuation = {chr(c) for c in range(0x3000, 0x3040)} | {chr(c) for c in range(0xFF00, 0xFFF0)}
    return gb2312() | punctuation | translation_chars()


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    args = p.parse_args(argv)
    try:
        from fontTools import subset
        from fontTools.ttLib import TTFont
    except ImportError:
        sys.exit("make_cjk_font.py: pip install fonttools first")
    font = TTFont(args.source, fontNumber=SC_INDEX)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(wanted())))
    subsetter.subset(font)
    names = font["name"]
    for record in names.names:  # its own family name: never mistaken for an installed Noto
        if record.nameID in (1, 16):
            record.string = FAMILY
        elif record.nameID in (3, 4, 6):
            record.string = FAMILY.replace(" ", "") + ("-Regular" if record.nameID == 6 else "")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    font.save(OUT)
    print(f"wrote {OUT.relative_to(ROOT)}: {OUT.stat().st_size / 2**20:.2f} MiB, {len(wanted())} characters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
