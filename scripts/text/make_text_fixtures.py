#!/usr/bin/python3
"""Makes tests/data/text/clean_cases.json and nfc_cases.json: expected outputs of the
reference prompt cleaning and of NFC, computed by the reference code itself.

clean_cases.json runs Wan's cleaning exactly as wan/modules/tokenizers.py does
(ftfy.fix_text, html.unescape twice + strip, whitespace collapse + strip) on prompts that
exercise each step. ftfy is not packaged by Debian: pass the directory that holds the
ftfy 6.3.1 package (its pure-Python sources, e.g. a checkout of rspeer/python-ftfy at
v6.3.1). The `regex` module is not packaged either; its Unicode \\s is the White_Space
property, written out below for the standard `re` module.

    /usr/bin/python3 scripts/text/make_text_fixtures.py /path/to/python-ftfy-6.3.1
"""

import html
import json
import os
import random
import re
import sys
import unicodedata

WHITE_SPACE = ("\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
               "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
WS_RE = re.compile("[" + WHITE_SPACE + "]+")

# (input, why). Cases the C++ subset of ftfy does not cover are not listed here; they are
# named in inference/text/text_clean.cpp.
CASES = [
    ("A cat sitting on a windowsill.", "plain"),
    ("  Extra   whitespace\tand\nnew lines  ", "whitespace runs"),
    ("a\u00a0b\u2003c\u3000d\u205fe\u200bf", "Unicode spaces; U+200B is not one"),
    ("line1\r\nline2\rline3\u2028line4\u2029line5\x85end", "line breaks"),
    ("Tom &amp; Jerry &lt;3 the caf&eacute; &#169; 2024", "entities"),
    ("double &amp;amp; escaped", "double escaped"),
    ("triple &amp;amp;amp; escaped", "ftfy repeats until stable"),
    ("<b>bold</b> &amp;amp; tags", "a '<' turns ftfy's unescaping off"),
    ("<i>x</i>\n&amp;amp;amp; next line", "... for the following lines too"),
    ("&amp;amp;amp;\n<i>x</i>", "... but not for earlier lines"),
    ("&EACUTE;t&eacute; &NTILDE; &nTILDE; &SZLIG;", "ftfy's upper-case entities"),
    ("&ampfoo &eacute &notit; &notin; &lt &gt", "legacy entities without ';'"),
    ("&#65;&#x42;&#X43; &#0; &#13;x &#128; &#129; &#x110000; &#xD800; &#1; &#xFFFE;",
     "numeric references"),
    ("&#65abc; &#xZZ; &# &#; & alone &;", "not references"),
    ("&ThisIsAVeryLongEntityNameThatGoesOnAndOn; &bogus;", "unknown names"),
    ("&amp;#38; &amp;lt;", "escaped references"),
    ("\u201cCurly quotes\u201d and \u2018single\u2019 ones \u201bx\u201f \u02bc", "quotes"),
    ("\uff26\uff35\uff2c\uff2c\uff37\uff29\uff24\uff34\uff28 \ufb01ne \ufb02uffy \ufb03",
     "fullwidth and ligatures"),
    ("\uff73\uff9e\uff76\uff9e \uffe3 \uff5e \uffe6", "halfwidth katakana and symbols"),
    ("\u0132sselmeer \u01c6 \u01c8", "digraphs"),
    ("e\u0301 decomposed, \u212b angstrom, \u1100\u1161\u11a8 jamo", "NFC"),
    ("a\u0323\u0302 a\u0302\u0323 q\u0307\u0323", "canonical reordering"),
    ("10\u00b3 \u00b5m \u2168 \u2460", "NFKC-only changes stay (the tokenizer does them)"),
    ("\x1b[31mred\x1b[0m \x1b[1;4mbold\x1b[m", "terminal escapes"),
    ("a\x00b\x07c\x7fd\ufeffe\u206af\ufffcg\u200dh", "control characters"),
    ("\x80 \x85 \x93hi\x94 \x81", "C1 controls as Windows-1252"),
    ("caf\u00c3\u00a9 na\u00c3\u00afve \u00c3\u00bcber", "mojibake, Latin-1 letters"),
    ("\u00e2\u20ac\u0153quoted\u00e2\u20ac\x9d", "mojibake, curly quotes"),
    ("It\u00e2\u20ac\u2122s fine", "mojibake apostrophe"),
    ("\u00c3\u00a2\u00e2\u201a\u00ac\u00e2\u201e\u00a2", "mojibake twice"),
    ("\u00f0\u0178\u02dc\u20ac smile", "mojibake emoji"),
    ("\u00d0\u0178\u00d1\u20ac\u00d0\u00b8\u00d0\u00b2\u00d0\u00b5\u00d1\u201a",
     "mojibake Cyrillic"),
    ("\u6771\u4eac caf\u00c3\u00a9", "mojibake inside good text"),
    ("The \u00c2\u00a35 fee, \u00c3\u2030t\u00c3\u00a9", "pound sign and capitals"),
    ("Stra\u00dfe\u201c test \u00c4\u201d", "German quotes are not mojibake"),
    ("voil\u00e0\u00a0\u00bb \u00ab\u00a0\u00e0", "French spacing is not mojibake"),
    ("Caf\u00e9 na\u00efve Z\u00fcrich \u2014 \u6771\u4eac \U0001F600", "good Unicode"),
    ("", "empty"),
    ("   \t\n  ", "only whitespace"),
]


def reference_clean(ftfy, text):
    text = ftfy.fix_text(text)
    text = html.unescape(html.unescape(text)).strip()
    text = WS_RE.sub(" ", text).strip()
    return text


def nfc_cases():
    rnd = random.Random(7)
    cases = []
    # Every canonically decomposable character, given decomposed.
    for cp in range(0x110000):
        d = unicodedata.decomposition(chr(cp))
        if d and not d.startswith("<"):
            nfd = unicodedata.normalize("NFD", chr(cp))
            cases.append(nfd)
    # Random mixtures of starters, combining marks and Hangul.
    pool = [chr(c) for c in list(range(0x41, 0x5B)) + list(range(0x300, 0x370)) +
            [0x1100, 0x1161, 0x11A8, 0xAC00, 0x0915, 0x093C, 0x0F71, 0x0F72, 0x05B0, 0x05BC,
             0x0958, 0x2ADC, 0x0344, 0x1D15E, 0x0CCA]]
    for _ in range(500):
        cases.append("".join(rnd.choice(pool) for _ in range(rnd.randint(1, 8))))
    return [{"input": c, "nfc": unicodedata.normalize("NFC", c)} for c in cases]


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.path.insert(0, sys.argv[1])
    try:
        import wcwidth  # noqa: F401  (ftfy.formatting imports it; fix_text never uses it)
    except ImportError:
        import types
        stub = types.ModuleType("wcwidth")
        stub.wcwidth = stub.wcswidth = lambda *a: (_ for _ in ()).throw(RuntimeError("stub"))
        sys.modules["wcwidth"] = stub
    import ftfy
    assert ftfy.__version__ == "6.3.1", ftfy.__version__
    out_dir = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "data", "text")
    os.makedirs(out_dir, exist_ok=True)
    clean = [{"input": s, "why": why, "cleaned": reference_clean(ftfy, s)} for s, why in CASES]
    meta = {"made_by": "scripts/text/make_text_fixtures.py", "ftfy": ftfy.__version__,
            "python": sys.version.split()[0], "unicode": unicodedata.unidata_version}
    with open(os.path.join(out_dir, "clean_cases.json"), "w", encoding="utf-8") as f:
        json.dump(dict(meta, cases=clean), f, ensure_ascii=True, indent=1)
        f.write("\n")
    with open(os.path.join(out_dir, "nfc_cases.json"), "w", encoding="utf-8") as f:
        json.dump(dict(meta, cases=nfc_cases()), f, ensure_ascii=True, indent=0)
        f.write("\n")


if __name__ == "__main__":
    main()
