"""The translations: extract the texts from the code (lupdate), compile them (lrelease).

    python packaging/translations.py update     # every area's .ts gets the code's texts
    python packaging/translations.py release    # the .ts files → resources/translations/*.qm
    python packaging/translations.py check      # exit 1 if a text is missing or unfinished
    python packaging/translations.py todo AREA [LANG]          # unfinished texts, as JSON lines
    python packaging/translations.py apply FILE.jsonl AREA [LANG]   # translations into the .ts

``todo`` and ``apply`` speak JSON lines, one text a line: ``{"context": …, "source": …,
"translation": …}`` (a list of forms for a ``%n`` text: Chinese has one).

English is the source language. Each language has one ``.ts`` file per area of the code
(``resources/translations/<lang>/<area>.ts``, editable in Qt Linguist or any text editor),
so that areas are translated side by side; ``release`` compiles a language's areas into one
``descentlab_<lang>.qm``, which the app loads (gui.support.i18n). Every ``.py`` file of
``engine/`` and ``gui/`` belongs to exactly one area (:data:`AREAS`). The .ts files carry no
source locations (``-locations none``): moving code does not change them.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "resources" / "translations"
LANGUAGES = ("zh_CN",)
# Areas by folder, the first that matches a file wins.
AREAS = {
    "panels": ("gui/panels", "gui/map", "gui/plots", "gui/view3d"),
    "window": ("gui",),
    "engine": ("engine",),
}


def area_of(path: Path) -> str:
    rel = path.relative_to(ROOT).as_posix()
    for area, folders in AREAS.items():
        if any(rel.startswith(folder + "/") for folder in folders):
            return area
    raise ValueError(f"{rel} is in no translation area")


def sources() -> dict[str, list[Path]]:
    """Each area's .py files."""
    out: dict[str, list[Path]] = {area: [] for area in AREAS}
    for top in ("engine", "gui"):
        for path in sorted((ROOT / top).rglob("*.py")):
            out[area_of(path)].append(path)
    return out


def ts_path(language: str, area: str, root: Path = TRANSLATIONS) -> Path:
    return root / language / f"{area}.ts"


def qm_path(language: str, root: Path = TRANSLATIONS) -> Path:
    return root / f"descentlab_{language}.qm"


def _tool(name: str, args: list[str]) -> None:
    code = f"import sys; from PySide6.scripts.pyside_tool import {name}; sys.argv[0] = 'pyside6-{name}'; {name}()"
    subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True, text=True)


def update(root: Path = TRANSLATIONS) -> None:
    for language in LANGUAGES:
        for area, files in sources().items():
            ts = ts_path(language, area, root)
            ts.parent.mkdir(parents=True, exist_ok=True)
            if not ts.exists():
                ts.write_text(f'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
                              f'<TS version="2.1" language="{language}"></TS>\n', encoding="utf-8")
            # lupdate reads a list of files from a file: the command line stays short on Windows.
            with tempfile.NamedTemporaryFile("w", suffix=".lst", delete=False, encoding="utf-8") as lst:
                lst.write("\n".join(str(f) for f in files))
            try:
                _tool("lupdate", [f"@{lst.name}", "-ts", str(ts), "-locations", "none", "-no-obsolete",
                                  "-source-language", "en", "-target-language", language])
            finally:
                Path(lst.name).unlink()


def release(root: Path = TRANSLATIONS, out: Path | None = None) -> list[Path]:
    made = []
    for language in LANGUAGES:
        areas = [str(ts_path(language, area, root)) for area in AREAS if ts_path(language, area, root).exists()]
        qm = qm_path(language, out or root)
        _tool("lrelease", [*areas, "-qm", str(qm)])
        made.append(qm)
    return made


def messages(ts: Path) -> list[dict]:
    """Every message of a .ts file: context, source, translation(s), finished or not."""
    out = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            t = message.find("translation")
            forms = [f.text or "" for f in t.iter("numerusform")] if message.get("numerus") == "yes" else [t.text or ""]
            out.append({"context": name, "source": message.findtext("source"), "translations": forms,
                        "finished": t.get("type") not in ("unfinished", "vanished", "obsolete")
                        and all(forms)})
    return out


def todo(area: str, language: str = LANGUAGES[0]) -> list[dict]:
    return [{"context": m["context"], "source": m["source"], "translation": ""}
            for m in messages(ts_path(language, area)) if not m["finished"]]


def apply(entries: list[dict], area: str, language: str = LANGUAGES[0]) -> int:
    """Write ``entries``' translations into the area's .ts (finished); returns how many matched."""
    ts = ts_path(language, area)
    tree = ET.parse(ts)
    wanted = {(e["context"], e["source"]): e["translation"] for e in entries if e.get("translation")}
    done = 0
    for context in tree.getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            text = wanted.get((name, message.findtext("source")))
            if text is None:
                continue
            t = message.find("translation")
            for child in list(t):
                t.remove(child)
            if message.get("numerus") == "yes":
                t.text = None
                for form in text if isinstance(text, list) else [text]:
                    ET.SubElement(t, "numerusform").text = form
            else:
                t.text = text
            t.attrib.pop("type", None)
            done += 1
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    update()  # lupdate writes it back in its own layout
    return done


def problems() -> list[str]:
    """What is missing: texts in the code but not in a .ts file, unfinished translations,
    a stale .qm. Empty when everything is translated and compiled."""
    import filecmp
    import shutil

    found = []
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "translations"
        shutil.copytree(TRANSLATIONS, copy)
        update(copy)
        for language in LANGUAGES:
            for area in AREAS:
                ts, fresh = ts_path(language, area), ts_path(language, area, copy)
                if not ts.exists() or ts.read_text(encoding="utf-8") != fresh.read_text(encoding="utf-8"):
                    found.append(f"{ts.relative_to(ROOT)} is not what lupdate makes of the code: run "
                                 "python packaging/translations.py update, then translate")
                found += [f"{ts.relative_to(ROOT)}: unfinished [{m['context']}] {m['source']!r}"
                          for m in messages(fresh) if not m["finished"]]
        built = release(TRANSLATIONS, Path(tmp))
        for qm in built:
            if not qm_path(qm.stem.split("_", 1)[1]).exists() or not filecmp.cmp(
                    qm, qm_path(qm.stem.split("_", 1)[1]), shallow=False):
                found.append(f"{qm.name} is stale: run python packaging/translations.py release")
    return found


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args == ["update"]:
        update()
    elif args == ["release"]:
        for qm in release():
            print(f"wrote {qm.relative_to(ROOT)}")
    elif args[:1] == ["todo"] and len(args) in (2, 3):
        import json

        for entry in todo(*args[1:]):
            print(json.dumps(entry, ensure_ascii=False))
    elif args[:1] == ["apply"] and len(args) in (3, 4):
        import json

        lines = Path(args[1]).read_text(encoding="utf-8").splitlines()
        entries = [json.loads(line) for line in lines if line.strip()]
        print(f"{apply(entries, *args[2:])} of {len(entries)} translations applied; "
              "now: python packaging/translations.py release")
    elif args == ["check"]:
        found = problems()
        print("\n".join(found) or "translations: complete")
        return 1 if found else 0
    else:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
