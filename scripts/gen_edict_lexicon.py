#!/usr/bin/env python3
"""Builds data/match/lexicon_edict.tsv: English glosses -> Japanese headwords taken from EDICT
(JMdict/EDICT, Electronic Dictionary Research and Development Group, CC BY-SA), restricted to the
headwords that occur in trustsheet's checksheet vocabulary. It supplements the hand-written
data/match/lexicon_en_ja.tsv and uses the same format (english<TAB>japanese[<TAB>japanese...]).

Usage: scripts/gen_edict_lexicon.py [--edict /usr/share/edict/edict] [--corpus ../shared/corpus]
                                    [--out data/match/lexicon_edict.tsv]

Needs the Debian package `edict` (apt-get install edict). Standard library only. Deterministic:
the same inputs give the same file.

Vocabulary: the text of data/catalog/controls.tsv, data/match/synonyms.tsv, the Japanese side of
data/match/lexicon_en_ja.tsv and, when the shared corpus is present, the Japanese strings of
gold/002.items.json, gold/004.items.json and reference/ja_*.tsv. (gold/003 is left out on purpose:
seed 003 against a 002 + 004 library is a held-back check of the matcher.)

A headword (kanji or katakana form of at least 2 characters that starts with kanji or katakana)
is taken when it occurs in that text as a substring and at least one occurrence is a word rather
than a piece of other words: 人情 inside 個人情報 crosses the ends of 個人 and 情報, so it does
not count, while 要素 inside 多要素認証 does; a short katakana headword must make up a whole
katakana run (サイ inside サイバー does not count).

Senses: one sharing a gloss with the hand-written lexicon is the one checksheets mean (当社:
"company", not "shrine"); failing that, each entry's first sense and later senses in a relevant
field (comp, bus, law...). Senses in unrelated fields or registers (food, Buddh, arch, obsc...)
are skipped. Glosses lose their tags ("(n)", "(vs)", "(1)", "(P)"), other parentheses and a
leading "to"/"a"/"the"; glosses of 1-3 words are kept unless a stop list calls them too common,
they contain digits, or the hand-written lexicon already has them (compared after light
stemming). A headword keeping more than MAX_GLOSSES glosses is dropped (broad words are noise),
and so is a gloss claimed by more than MAX_HEADWORDS headwords. At most MAX_LINES lines are
written (those whose headwords occur most often in the vocabulary).

EDICT's file is EUC-JP; it is decoded as such (undecodable bytes would become U+FFFD).
"""

import argparse
import gzip
import json
import os
import re
import sys
import unicodedata

MAX_GLOSSES = 5      # a headword keeping more glosses than this is too broad
MAX_HEADWORDS = 4    # a gloss shared by more headwords than this is too vague
MAX_LINES = 4000     # cap on output lines
MAX_HEADWORD_LEN = 12

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# English glosses that say too little to match on: function words, and very general nouns,
# verbs and adjectives that EDICT uses for many unrelated headwords.
STOP = set("""
a an the of to in on at by for with from as into onto upon about over under between among and or
but not no nor so than then also too very more most less least much many some any all each every
both either neither other another such same own only just even still yet ever never always often
be is are was were been being do does did done have has had make made get got go went come came
take took give gave put set let keep say said see seen look show tell think know want need use
used one ones thing things matter matters affair affairs case cases way ways kind kinds sort type
types point points part parts side sides place places time times day days year years number
numbers state states condition conditions situation circumstances fact facts item items piece
person people man men woman someone something anything everything nothing self oneself itself
this that these those it its he she they them we us you i me my your our their his her
good bad big small large little new old high low long short great main general common normal
usual ordinary certain various different whole full real true right left first last next
work job task act action deed use usage purpose end result effect cause reason means method
way manner form style shape level degree extent rate amount quantity value quality
name title word words term terms expression sign mark line area field region zone
if when whenever where wherever while whilst before after during through throughout within
without against since until till because though although whether via per toward towards around
across along beyond behind inside near like unlike despite except besides instead however
therefore thus hence again already actually really now soon later once twice yes please ok okay
here there above below up down out off back away today tomorrow yesterday week month hour minute
second morning evening example instance possible impossible accord according run running
using regard regarding concern concerning concerned respective respectively otherwise date
dated align aligning adopt contain containing subject relation relationship specific order
base based basis complete completed rest
etc e g ie i e eg vs
""".split())

# Kanji spellings of grammar, not vocabulary.
SKIP_HEADWORDS = {"化する", "化す", "為る", "成す", "成る", "有る", "居る", "出来る", "事ができる", "若し",
                  "若しくは", "且つ", "又は", "及び", "並びに", "等", "迄", "於いて", "於ける", "依る",
                  "因る", "拠る", "由る", "様々", "共に", "場合"}

KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005]")  # incl. 々
KATAKANA = re.compile(r"[\u30a0-\u30ff]")
HIRAGANA_ONLY = re.compile(r"^[\u3040-\u309f\u30fc]+$")
PAREN = re.compile(r"\([^()]*\)|\{[^{}]*\}|\[[^\[\]]*\]")
JA_CHAR = re.compile(r"[\u3005\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")


def nfkc(s):
    return unicodedata.normalize("NFKC", s)


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return f.read().splitlines()


def japanese_strings(node, out):
    if isinstance(node, str):
        if JA_CHAR.search(node):
            out.append(node)
    elif isinstance(node, dict):
        for v in node.values():
            japanese_strings(v, out)
    elif isinstance(node, list):
        for v in node:
            japanese_strings(v, out)


def load_vocabulary(corpus):
    texts = []
    used = []
    controls = os.path.join(ROOT, "data/catalog/controls.tsv")
    synonyms = os.path.join(ROOT, "data/match/synonyms.tsv")
    lexicon = os.path.join(ROOT, "data/match/lexicon_en_ja.tsv")
    for path in (controls, synonyms):
        texts += [l for l in read_lines(path) if not l.startswith("#")]
        used.append(os.path.relpath(path, ROOT))
    for line in read_lines(lexicon):
        if line.startswith("#") or not line.strip():
            continue
        texts += line.split("\t")[1:]
    used.append(os.path.relpath(lexicon, ROOT))
    if corpus and os.path.isdir(corpus):
        for name in ("gold/002.items.json", "gold/004.items.json"):
            path = os.path.join(corpus, name)
            if os.path.exists(path):
                with open(path, encoding="utf-8") as f:
                    japanese_strings(json.load(f), texts)
                used.append("corpus/" + name)
        refdir = os.path.join(corpus, "reference")
        if os.path.isdir(refdir):
            for name in sorted(os.listdir(refdir)):
                if name.startswith("ja_") and name.endswith(".tsv"):
                    texts += [l for l in read_lines(os.path.join(refdir, name)) if not l.startswith("#")]
                    used.append("corpus/reference/" + name)
    return nfkc("\n".join(texts)), used


def load_lexicon_keys():
    keys = set()
    for line in read_lines(os.path.join(ROOT, "data/match/lexicon_en_ja.tsv")):
        if line.startswith("#") or not line.strip():
            continue
        keys.add(normalize_key(line.split("\t")[0]))
    return keys


def stem(w):
    """The matcher's English stemmer (match::StemEnglish in src/match/english.cc), so that
    "already in the hand-written lexicon" means what the loader will see."""
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    cut = False
    if len(w) >= 6 and w.endswith("ing"):
        w, cut = w[:-3], True
    elif len(w) >= 5 and w.endswith("ed"):
        w, cut = w[:-2], True
    if cut and len(w) >= 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":  # logging -> log
        w = w[:-1]
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w


STOP_STEMS = {stem(w) for w in STOP}


def normalize_key(s):
    return " ".join(stem(w) for w in re.findall(r"[a-z0-9]+", s.lower()))


def edict_version(edict_path, header):
    version = None
    changelog = "/usr/share/doc/edict/changelog.Debian.gz"
    if os.path.exists(changelog):
        with gzip.open(changelog, "rt", encoding="utf-8", errors="replace") as f:
            m = re.match(r"edict \(([^)]+)\)", f.readline())
            if m:
                version = m.group(1)
    created = re.search(r"Created: ([0-9-]+)", header)
    parts = []
    if version:
        parts.append("Debian package edict " + version)
    if created:
        parts.append("EDICT file created " + created.group(1))
    return ", ".join(parts) or "unknown version"


# Senses in these fields or registers are not what a security checksheet means.
SKIP_TAGS = {"food", "ling", "gramm", "Buddh", "Shinto", "Christn", "baseb", "sumo", "MA", "shogi",
             "mahj", "go", "sports", "music", "bot", "zool", "astron", "geol", "biol", "chem",
             "physics", "arch", "obs", "obsc", "rare", "sl", "vulg", "X", "derog", "joc", "poet",
             "male", "fem", "id", "yoji", "on-mim", "ksb", "kyb", "osb", "thb", "tsb", "kyu", "rkb",
             "nab", "hob", "tsug", "proverb", "quote"}
# Without a better clue, a later sense is kept only when it belongs to one of these fields.
KEEP_LATER = {"comp", "bus", "law", "econ", "engr", "finc", "mil"}
LEADING_TAGS = re.compile(r"^((?:\([^()]*\)\s*|\{[^{}]*\}\s*)+)")


def split_senses(glosses):
    """Splits one EDICT entry's glosses into senses: [(number, tags, [glosses])]. Tags in
    parentheses ("(n,vs)", "(2)", "(comp)") open a sense and hold until the next sense number."""
    senses = []
    for g in glosses:
        m = LEADING_TAGS.match(g)
        toks = set()
        if m:
            for group in re.findall(r"[({]([^(){}]*)[)}]", m.group(1)):
                toks.update(t.strip() for t in group.split(","))
        number = [t for t in toks if t.isdigit()]
        if not senses or number:
            senses.append((int(number[0]) if number else 1, toks, []))
        senses[-1][2].append(g)
    return senses


def parse_edict(path):
    """Returns the file's header line and (headword, senses) for the kanji form and the reading
    of each entry; homographs stay separate entries."""
    with open(path, "rb") as f:
        data = f.read().decode("euc_jp", errors="replace")
    lines = data.split("\n")
    header = lines[0]
    entries = []
    for line in lines[1:]:
        if not line.strip() or "/" not in line:
            continue
        head, _, rest = line.partition(" /")
        m = re.match(r"^(\S+)(?: \[(\S+)\])?", head.strip())
        if not m:
            continue
        forms = [m.group(1)] + ([m.group(2)] if m.group(2) else [])
        senses = split_senses([g for g in rest.split("/") if g and not g.startswith("EntL")])
        for form in forms:
            for hw in form.split(";"):
                hw = re.sub(r"\(.*?\)", "", hw)
                entries.append((nfkc(hw), senses))
    return header, entries


def clean_gloss(g):
    g = g.strip()
    if g == "(P)":
        return None
    prev = None
    while prev != g:
        prev = g
        g = PAREN.sub(" ", g)
    g = g.replace("\u2019", "'")
    g = re.sub(r"\s+", " ", g).strip().lower()
    g = re.sub(r"^(to|a|an|the) ", "", g)
    if not g or not g.isascii():
        return None
    words = re.findall(r"[a-z0-9]+", g)
    if not 1 <= len(words) <= 3 or any(w.isdigit() for w in words):
        return None
    stop = [w in STOP or stem(w) in STOP_STEMS for w in words]
    if all(stop) or any(len(w) == 1 for w in words):
        return None
    if stop[-1] and len(words) > 1:  # "access to", "in charge of"
        return None
    return " ".join(words)


def eligible_headword(hw):
    if len(hw) < 2 or len(hw) > MAX_HEADWORD_LEN or hw in SKIP_HEADWORDS:
        return False
    if HIRAGANA_ONLY.match(hw) or not (KANJI.match(hw[0]) or KATAKANA.match(hw[0])):
        return False  # grammar (に対して) rather than vocabulary
    return bool(KANJI.search(hw) or KATAKANA.search(hw))


KATAKANA_ONLY = re.compile(r"^[\u30a0-\u30ff]+$")


def segmentable(run, headwords, cache):
    """Whether a katakana run splits wholly into headwords ("データセンター" = データ + センター)."""
    if run in cache:
        return cache[run]
    ok = run == "" or any(run[:k] in headwords and segmentable(run[k:], headwords, cache)
                          for k in range(len(run), 1, -1))
    cache[run] = ok
    return ok


def occurring_headwords(text, headwords):
    """Headwords that occur in text as words rather than as pieces of other words.

    An occurrence counts unless another headword occurrence crosses one of its ends (人情 inside
    個人情報 crosses 個人 and 情報). A katakana headword must in addition sit in its katakana run
    so that the rest of the run splits into headwords too (センター in データセンター does, ルー in
    ルール does not); one shorter than four letters (サイ, ホール) must make up a whole katakana run."""
    maxlen = max(len(h) for h in headwords)
    starts = {}  # position -> lengths of headwords starting there
    n = len(text)
    for i in range(n):
        if not JA_CHAR.match(text[i]):
            continue
        lens = [L for L in range(2, min(maxlen, n - i) + 1) if text[i:i + L] in headwords]
        if lens:
            starts[i] = lens
    found = set()
    cache = {}
    for i, lens in starts.items():
        for L in lens:
            h = text[i:i + L]
            if h in found:
                continue
            end = i + L
            if KATAKANA_ONLY.match(h):
                a, b = i, end
                while a > 0 and KATAKANA.match(text[a - 1]):
                    a -= 1
                while b < n and KATAKANA.match(text[b]):
                    b += 1
                if (a, b) != (i, end) and (L < 4 or not (segmentable(text[a:i], headwords, cache)
                                                         and segmentable(text[end:b], headwords, cache))):
                    continue
            straddled = False
            for j in range(max(0, i - maxlen + 1), end):  # another occurrence crossing an end of h
                if j == i:
                    continue
                for M in starts.get(j, ()):
                    if (j < i < j + M < end) or (i < j < end < j + M):
                        straddled = True
                        break
                if straddled:
                    break
            if not straddled:
                found.add(h)
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--edict", default="/usr/share/edict/edict")
    ap.add_argument("--corpus", default=os.path.join(os.path.dirname(ROOT), "shared", "corpus"))
    ap.add_argument("--out", default=os.path.join(ROOT, "data/match/lexicon_edict.tsv"))
    args = ap.parse_args()

    if not os.path.isfile(args.edict):
        print(f"gen_edict_lexicon: EDICT file {args.edict} not found; install the Debian package "
              "'edict' (apt-get install edict) or pass --edict PATH", file=sys.stderr)
        return 1

    header, entries = parse_edict(args.edict)
    senses_of = {}  # headword -> senses of all its EDICT entries (homographs included)
    for hw, senses in entries:
        if eligible_headword(hw):
            senses_of.setdefault(hw, []).extend(senses)

    vocab, sources = load_vocabulary(args.corpus)
    present = occurring_headwords(vocab, set(senses_of))
    known = load_lexicon_keys()

    def is_known(g):
        c = clean_gloss(g)
        return c is not None and normalize_key(c) in known

    # gloss -> headwords, keeping EDICT's gloss order within a headword
    by_gloss = {}
    for hw in sorted(present):
        senses = [s for s in senses_of[hw] if not (s[1] & SKIP_TAGS)]
        # Which sense do checksheets mean? One that shares a gloss with the hand-written lexicon
        # (当社: "company", not "shrine"; ロック: "lock", not "rock"); failing that, the first
        # sense of each entry and later senses in a relevant field.
        chosen = [s for s in senses if any(is_known(g) for g in s[2])]
        if not chosen:
            chosen = [s for s in senses if s[0] == 1 or s[1] & KEEP_LATER]
        kept = []
        for g in (g for s in chosen for g in s[2]):
            c = clean_gloss(g)
            if c and c not in kept and normalize_key(c) not in known:
                kept.append(c)
        if not kept or len(kept) > MAX_GLOSSES:
            continue
        for c in kept:
            by_gloss.setdefault(c, []).append(hw)
    # Glosses the loader's stemmer makes one key ("backup", "backups") become one line.
    merged = {}
    for gloss in sorted(by_gloss):
        _, hws = merged.setdefault(normalize_key(gloss), (gloss, []))
        hws += [h for h in by_gloss[gloss] if h not in hws]
    rows = []
    for gloss, hws in sorted(merged.values()):
        if len(hws) > MAX_HEADWORDS:
            continue
        # longer (more specific) headwords first, then the order of their first occurrence
        hws = sorted(hws, key=lambda h: (-len(h), vocab.find(h), h))
        rows.append((gloss, hws))
    truncated = len(rows) > MAX_LINES
    if truncated:
        freq = {h: vocab.count(h) for _, hws in rows for h in hws}
        keep = sorted(rows, key=lambda r: (-max(freq[h] for h in r[1]), r[0]))[:MAX_LINES]
        rows = sorted(keep)
    lines = [gloss + "\t" + "\t".join(hws) for gloss, hws in rows]

    version = edict_version(args.edict, header)
    out = [
        "# trustsheet bilingual lexicon supplement, English -> Japanese, generated by",
        "# scripts/gen_edict_lexicon.py: do not edit by hand, rerun the script.",
        "# Derived from JMdict/EDICT by the Electronic Dictionary Research and Development Group",
        "# (https://www.edrdg.org/), used under the Creative Commons Attribution-ShareAlike licence",
        "# (EDRDG licence statement: CC BY-SA 4.0; the Debian package's copyright file reproduces an",
        "# older statement naming CC BY-SA 3.0). This file is shared under the same licence.",
        f"# Source: {args.edict} ({version}).",
        "# Headwords kept: those occurring in",
    ] + ["#   " + src for src in sources] + [
        "# Format as data/match/lexicon_en_ja.tsv: english<TAB>japanese[<TAB>japanese...]. Glosses the",
        "# hand-written lexicon already has (after the matcher's stemming) are left out.",
        f"# {len(lines)} lines" + (f" (capped at {MAX_LINES})" if truncated else "") + ".",
    ]
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("\n".join(out + lines) + "\n")
    os.replace(tmp, args.out)
    print(f"gen_edict_lexicon: {len(lines)} lines from {len(present)} headwords -> "
          f"{os.path.relpath(args.out, ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
