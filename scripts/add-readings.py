#!/usr/bin/env python3
"""Adds the hiragana reading of every form with kanji to the concepts marked
`readings = true` in core/packs/*.toml (`売ります` gets `うります`).

People write around kanji filters in hiragana; a concept whose forms must be
found however the post spells them (the topics that let the model remove a
post without a trigger word: an offer, a how-to, company) carries the flag.
The readings are data in the pack, not computed at start-up (tokenizing
every form cost milliseconds and touched most of the dictionary); the test
`classifier::tests::readings_are_listed` fails when one is missing and
names this script.

Readings come from `inochi fold --hiragana` (the dictionary reading the
`eval --perturb` rewrite uses, then folded as the classifier folds). One
shorter than four chars is left out: short kana (どうし, くるまで) stand for
too many words (どうしよう). Idempotent. Usage: scripts/add-readings.py
"""
import glob
import json
import os
import re
import subprocess
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MIN_CHARS = 4
KANJI = re.compile(r"[\u3400-\u9fff々]")


def fold(inochi, texts, hiragana):
    # One text per line: a form that ends in a line break (死にな\n, an order
    # at the end of a line) is folded without it and given it back.
    core = [t.rstrip("\n") for t in texts]
    args = [inochi, "fold"] + (["--hiragana"] if hiragana else [])
    out = subprocess.run(args, input="\n".join(core) + "\n", capture_output=True,
                         text=True, check=True).stdout.split("\n")
    return [o + t[len(c):] for o, t, c in zip(out[: len(texts)], texts, core)]


def main():
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    subprocess.run(["cargo", "build", "--quiet", "--locked", "-p", "inochi-cli"], cwd=ROOT, check=True)
    inochi = os.path.join(target, "debug", "inochi")
    for path in sorted(glob.glob(os.path.join(ROOT, "core", "packs", "*.toml"))):
        with open(path, "rb") as f:
            pack = tomllib.load(f)
        text = open(path, encoding="utf-8").read()
        added = 0
        for name, concept in pack.get("concepts", {}).items():
            if not concept.get("readings"):
                continue
            forms = concept.get("forms", [])
            have = set(forms) | (set(fold(inochi, forms, False)) if forms else set())
            kanji = [f for f in forms if KANJI.search(f)]
            new = []
            for r in fold(inochi, kanji, True) if kanji else []:
                if len(r) >= MIN_CHARS and not KANJI.search(r) and r not in have and r not in new:
                    new.append(r)
            if not new:
                continue
            start = text.index(f"[concepts.{name}]\n")
            end = text.find("\n[", start + 1)
            end = len(text) if end < 0 else end
            block = text[start:end]
            m = re.search(r'^forms = \[(.*?)\]$', block, flags=re.M | re.S)
            body = m.group(1).rstrip()
            extra = ", ".join(json.dumps(r, ensure_ascii=False) for r in new)
            block = block[: m.start(1)] + body + ",\n         " + extra + block[m.end(1):]
            text = text[:start] + block + text[end:]
            added += len(new)
        if added:
            open(path, "w", encoding="utf-8").write(text)
        print(f"add-readings: {os.path.relpath(path, ROOT)}: {added} readings added")


if __name__ == "__main__":
    main()
