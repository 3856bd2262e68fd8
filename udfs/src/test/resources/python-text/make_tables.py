#!/usr/bin/env python3
"""Writes the character tables of Python's str and re that Search-R1's normalize_answer uses,
pinned for PythonTextTest (which never runs Python). Run from this folder:
    python3 make_tables.py
Each file: one code point or range per line (hex, "a-b" inclusive); lower.txt: "cp mapping...".
  whitespace.txt        str.isspace(), what str.split() and str.strip() split and strip on
  word.txt              re's \\w on str (Unicode), what \\b looks at
  lower.txt             str.lower() of each code point that it changes (context-free)
  case_ignorable.txt    skipped by str.lower()'s final-sigma rule (Unicode Case_Ignorable)
  cased.txt             cased and not case-ignorable, as that rule sees them
"""
import re
import sys
import unicodedata

MAX = 0x110000
SIGMA = "\u03a3"


def ranges(pred):
    out, start = [], None
    for c in range(MAX + 1):
        on = c < MAX and pred(c)
        if on and start is None:
            start = c
        elif not on and start is not None:
            out.append(f"{start:x}" if start == c - 1 else f"{start:x}-{c - 1:x}")
            start = None
    return out


def write(name, lines):
    with open(name, "w", encoding="ascii") as f:
        f.write(f"# {sys.version.split()[0]} unicodedata {unicodedata.unidata_version}\n")
        f.write("\n".join(lines) + "\n")


def surrogate(c):
    return 0xD800 <= c <= 0xDFFF


word = re.compile(r"\w")
write("whitespace.txt", ranges(lambda c: chr(c).isspace()))
write("word.txt", ranges(lambda c: not surrogate(c) and word.match(chr(c)) is not None))
write("lower.txt", [f"{c:x} " + " ".join(f"{ord(x):x}" for x in chr(c).lower())
                    for c in range(MAX) if not surrogate(c) and chr(c).lower() != chr(c)])
# With one character x around a capital sigma, str.lower() gives final sigma exactly when:
#   x + S : x is cased and not case-ignorable
#   A x S : x is case-ignorable or cased;  A S x : x is case-ignorable or not cased.
def final(s, at):
    return s.lower()[at] == "\u03c2"


write("case_ignorable.txt", ranges(lambda c: not surrogate(c) and final("A" + chr(c) + SIGMA, -1)
                                   and final("A" + SIGMA + chr(c), 1)))
write("cased.txt", ranges(lambda c: not surrogate(c) and final(chr(c) + SIGMA, -1)))
