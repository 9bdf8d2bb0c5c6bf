#!/usr/bin/env python3
"""Builds data/pinyin/readings.txt, the toneless Mandarin readings the address matcher uses to recognise a homophone
slip (思马庄 for 司马庄). Run once when the division files change; the output is committed and embedded.

Source: the Unicode Han Database (Unihan) as packaged by Debian's unicode-data (/usr/share/unicode/Unihan_*.txt.bz2):
kMandarin (the customary reading) and kTGHZ2013 (the readings of 通用规范汉字字典, 2013). Characters kept: every one in
a division name (data/divisions/*.csv, and ../shared/data/divisions/china.csv.gz when present) plus the 8,105 of the
PRC's 通用规范汉字表 (kTGH), since the character someone wrote by mistake need not occur in any division name.

Output: one line per toneless syllable, `syllable<TAB>characters`, a polyphonic character on each of its lines.
"""
import bz2, csv, glob, gzip, io, os, sys, unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
UNIHAN = os.environ.get("UNIHAN_DIR", "/usr/share/unicode")


def unihan(name, fields):
    path = os.path.join(UNIHAN, name)
    if not os.path.exists(path):
        sys.exit(f"{path} is missing: apt-get install unicode-data")
    with bz2.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("U+"):
                code, field, value = line.rstrip("\n").split("\t", 2)
                if field in fields:
                    yield chr(int(code[2:], 16)), field, value


def toneless(reading):
    # kTGHZ2013 values are "page.position:reading"; tone marks are combining accents once decomposed; ü stays ü (lü ≠ lu).
    reading = reading.split(":")[-1].strip().lower()
    plain = "".join(c for c in unicodedata.normalize("NFD", reading) if not unicodedata.combining(c) or c == "\u0308")
    return unicodedata.normalize("NFC", plain)


def division_characters():
    names = []
    for path in glob.glob(os.path.join(ROOT, "data", "divisions", "*.csv")):
        with open(path, encoding="utf-8") as f:
            names += [row["name"] for row in csv.DictReader(f)]
    national = os.path.join(ROOT, "..", "shared", "data", "divisions", "china.csv.gz")
    if os.path.exists(national):
        with gzip.open(national, "rt", encoding="utf-8") as f:
            names += [row["name"] for row in csv.DictReader(f)]
    return {c for name in names for c in name if unicodedata.category(c) == "Lo"}


def main():
    wanted = division_characters()
    wanted |= {c for c, _, _ in unihan("Unihan_OtherMappings.txt.bz2", {"kTGH"})}
    readings = {}
    for c, field, value in unihan("Unihan_Readings.txt.bz2", {"kMandarin", "kTGHZ2013"}):
        if c in wanted:
            # kMandarin's second value, where there is one, is Taiwan's reading: only the first is the mainland's.
            values = value.split(" ")[:1] if field == "kMandarin" else value.split(" ")
            readings.setdefault(c, set()).update(toneless(v) for v in values)
    bySyllable = {}
    for c, syllables in readings.items():
        for s in syllables:
            bySyllable.setdefault(s, []).append(c)
    out = os.path.join(ROOT, "data", "pinyin", "readings.txt")
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        for s in sorted(bySyllable):
            f.write(s + "\t" + "".join(sorted(bySyllable[s])) + "\n")
    missing = sorted(wanted - readings.keys())
    print(f"{out}: {len(readings)} characters, {len(bySyllable)} syllables; {len(missing)} wanted without a reading")


main()
