#!/usr/bin/env python3
"""Checks tests/data/heldout/customer_questions_heldout.json (python3 standard library only).

  python3 tests/data/heldout/check_heldout.py [CORPUS_DIR]

CORPUS_DIR defaults to ../shared/corpus relative to the repository root. Without the corpus
the script prints a message and exits 0 (nothing to check against).

Checks: the JSON parses; keys run hq/1..hq/N in order and number matches; voice and strength
are known values; every key in `b` exists in the gold files, without duplicates; METI template
items paired in align_002_004.json appear with both copies, 002 first; none <=> empty b;
the minimum counts of the brief. Near-copy check: character-bigram Dice (NFKC, white space
removed, multiset) of each question against every library question and 004's sla_item and
definition fields must be < 0.55, and between any two questions of the set < 0.6. The set
variant of Dice is printed for information. Exit status 1 on any failure.
"""
import collections
import itertools
import json
import os
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
SET_FILE = os.path.join(HERE, "customer_questions_heldout.json")

VOICES = ["insurer", "university", "retailer", "logistics", "municipality", "saas_buyer", "english"]
STRENGTHS = ["same", "related", "none"]
LIMIT_LIBRARY = 0.55
LIMIT_SELF = 0.6


def norm(text):
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if not ch.isspace())


def bigrams(text):
    t = norm(text)
    return collections.Counter(t[i:i + 2] for i in range(len(t) - 1))


def dice_multiset(a, b):
    total = sum(a.values()) + sum(b.values())
    if total == 0:
        return 0.0
    return 2.0 * sum((a & b).values()) / total


def dice_set(a, b):
    sa, sb = set(a), set(b)
    if not sa and not sb:
        return 0.0
    return 2.0 * len(sa & sb) / (len(sa) + len(sb))


def main():
    corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "corpus")
    gold = os.path.join(corpus, "gold")
    needed = [os.path.join(gold, n) for n in ("002.items.json", "004.items.json", "align_002_004.json")]
    if not all(os.path.isfile(p) for p in needed):
        print("corpus not found at %s (../shared/corpus); skipping" % os.path.normpath(corpus))
        return 0

    errors = []

    def fail(msg):
        errors.append(msg)

    with open(SET_FILE, encoding="utf-8") as f:
        data = json.load(f)  # raises on a parse error
    items = data["items"]
    if data.get("library") != ["002.items.json", "004.items.json"]:
        fail("library field is %r" % (data.get("library"),))

    # Library: keys and texts.
    lib_keys = set()
    lib_texts = []  # (label, text)
    for doc in ("002", "004"):
        with open(os.path.join(gold, doc + ".items.json"), encoding="utf-8") as f:
            g = json.load(f)
        for part in g["parts"]:
            for it in part["items"]:
                k = "%s:%s" % (doc, it["key"])
                lib_keys.add(k)
                lib_texts.append((k + " question", it["question"]))
                for field in ("sla_item", "definition"):
                    if it.get(field):
                        lib_texts.append((k + " " + field, it[field]))
    with open(os.path.join(gold, "align_002_004.json"), encoding="utf-8") as f:
        align = json.load(f)
    pair_of = {}
    for p in align["pairs"]:
        a, b = "002:" + p["a"], "004:" + p["b"]
        pair_of[a] = (a, b)
        pair_of[b] = (a, b)

    # Structure and labels.
    counts = collections.Counter()
    referenced = set()
    for i, it in enumerate(items, 1):
        tag = it.get("key", "?")
        if it.get("key") != "hq/%d" % i:
            fail("item %d has key %r, expected hq/%d" % (i, it.get("key"), i))
        if it.get("number") != str(i):
            fail("%s: number %r, expected %r" % (tag, it.get("number"), str(i)))
        for field in ("section", "question"):
            if not isinstance(it.get(field), str) or not it[field].strip():
                fail("%s: empty %s" % (tag, field))
        if it.get("voice") not in VOICES:
            fail("%s: unknown voice %r" % (tag, it.get("voice")))
        if it.get("strength") not in STRENGTHS:
            fail("%s: unknown strength %r" % (tag, it.get("strength")))
        keys = it.get("b")
        if not isinstance(keys, list):
            fail("%s: b is not a list" % tag)
            continue
        if len(set(keys)) != len(keys):
            fail("%s: duplicate keys in b" % tag)
        for k in keys:
            if k not in lib_keys:
                fail("%s: %s is not a library key" % (tag, k))
            referenced.add(k)
            if k in pair_of:
                a, b = pair_of[k]
                if a not in keys or b not in keys:
                    fail("%s: %s listed without its paired copy" % (tag, k))
                elif keys.index(a) > keys.index(b):
                    fail("%s: paired copies %s / %s not 002 first" % (tag, a, b))
        if (it.get("strength") == "none") != (len(keys) == 0):
            fail("%s: strength %s with %d keys in b" % (tag, it.get("strength"), len(keys)))
        counts[(it.get("voice"), it.get("strength"))] += 1

    total = collections.Counter(s for (_, s) in counts.elements())
    n_english = sum(counts[("english", s)] for s in STRENGTHS)
    for what, have, need in (("items", len(items), 80), ("same", total["same"], 50),
                             ("related", total["related"], 10), ("none", total["none"], 18),
                             ("english", n_english, 10)):
        if have < need:
            fail("%d %s, need at least %d" % (have, what, need))

    print("%d items in %s" % (len(items), os.path.relpath(SET_FILE, ROOT)))
    print()
    print("| voice | same | related | none | total |")
    print("|---|---:|---:|---:|---:|")
    for v in VOICES:
        row = [counts[(v, s)] for s in STRENGTHS]
        print("| %s | %d | %d | %d | %d |" % (v, row[0], row[1], row[2], sum(row)))
    print("| **total** | **%d** | **%d** | **%d** | **%d** |" % (
        total["same"], total["related"], total["none"], len(items)))
    print()
    print("library keys referenced: %d of %d" % (len(referenced), len(lib_keys)))

    # Near-copy check.
    qgrams = [(it["key"], it["question"], bigrams(it["question"])) for it in items]
    lgrams = [(label, text, bigrams(text)) for label, text in lib_texts]
    best_lib = (0.0, None, None)
    best_lib_set = (0.0, None, None)
    for key, text, g in qgrams:
        for label, ltext, lg in lgrams:
            d = dice_multiset(g, lg)
            if d > best_lib[0]:
                best_lib = (d, key, label)
            if d >= LIMIT_LIBRARY:
                fail("near copy: %s vs %s: Dice %.3f" % (key, label, d))
            ds = dice_set(g, lg)
            if ds > best_lib_set[0]:
                best_lib_set = (ds, key, label)
    best_self = (0.0, None, None)
    best_self_set = (0.0, None, None)
    for (k1, _, g1), (k2, _, g2) in itertools.combinations(qgrams, 2):
        d = dice_multiset(g1, g2)
        if d > best_self[0]:
            best_self = (d, k1, k2)
        if d >= LIMIT_SELF:
            fail("near duplicate: %s vs %s: Dice %.3f" % (k1, k2, d))
        ds = dice_set(g1, g2)
        if ds > best_self_set[0]:
            best_self_set = (ds, k1, k2)
    print()
    print("max Dice vs library (multiset): %.3f (%s vs %s), limit < %.2f" % (best_lib + (LIMIT_LIBRARY,)))
    print("max Dice vs library (set):      %.3f (%s vs %s)" % best_lib_set)
    print("max Dice within set (multiset): %.3f (%s vs %s), limit < %.2f" % (best_self + (LIMIT_SELF,)))
    print("max Dice within set (set):      %.3f (%s vs %s)" % best_self_set)

    print()
    if errors:
        for e in errors:
            print("FAIL:", e)
        print("%d problem(s)" % len(errors))
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
