#!/usr/bin/env python3
"""Train the n-gram model that backs up the rules (core/packs/model.tsv).

Usage: scripts/train-model.py            (needs scikit-learn; see below)

Environment: INOCHI_TRAIN_EXCLUDE=REGEX leaves out the corpus files whose
names match (to score a held-out set with a model that never saw it);
INOCHI_MODEL_OUT=PATH writes the model there instead of core/packs/model.tsv;
INOCHI_MODEL_KEEP=N keeps the N heaviest n-grams (default 60000; fewer
n-grams score faster, see benches/RESULTS.md); INOCHI_TRAIN_HIRAGANA=0 does
not add the hiragana spelling of every post with kanji.

Data: every labeled row of tests/corpus/*.jsonl, plus real benign Japanese
text from the even-numbered lines of .cache/sweep/lines.txt (which
tests/sweep.sh builds from Debian's manpages-ja and libreoffice-help-ja):
15,000 sampled (seed 7) and every line with suicide vocabulary in it. The
model must learn that ordinary prose is `none`; the odd lines stay unseen
for the sweep. Texts are first read the way
the classifier reads them (`inochi fold`), so that the n-grams here are the
n-grams the Rust scorer sees.

Model: TF-IDF over character 1- to 3-grams (sublinear tf, min_df 2), then
multinomial logistic regression (C=8, balanced classes). Features whose
largest absolute weight is small are pruned and the model is refitted on
the rest, so the file stays a few MB. The output is deterministic for the
same inputs and library versions.

scikit-learn comes from PyPI:  pip install 'scikit-learn==1.9.1'
"""
import glob
import json
import os
import random
import re
import subprocess
import sys

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLUMNS = ["announcement", "inducement", "method", "incitement", "ideation", "none"]
KEEP = int(os.environ.get("INOCHI_MODEL_KEEP", "60000"))
NEGATIVES = 15000
HIRAGANA_NEGATIVES = 4000


def build_cli():
    """The path of the CLI, built once: `fold` runs it for every batch."""
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    subprocess.run(["cargo", "build", "--quiet", "--locked", "-p", "inochi-cli"], cwd=ROOT, check=True)
    return os.path.join(target, "debug", "inochi")


def fold(inochi, texts, hiragana=False):
    flat = [re.sub(r"\s+", " ", t) for t in texts]
    args = [inochi, "fold"] + (["--hiragana"] if hiragana else [])
    out = subprocess.run(args, input="\n".join(flat) + "\n", capture_output=True,
                         text=True, check=True).stdout.split("\n")
    assert len(out) >= len(flat), "inochi fold lost lines"
    return out[: len(flat)]


def vectorizer(vocabulary=None):
    return TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2 if vocabulary is None else 1,
                           sublinear_tf=True, lowercase=False, vocabulary=vocabulary,
                           preprocessor=lambda t: re.sub(r"\s+", " ", t))


def main():
    texts, labels = [], []
    # INOCHI_TRAIN_EXCLUDE leaves corpus files out (a regex on their names), so
    # that a held-out set can be scored by a model that never saw it.
    exclude = os.environ.get("INOCHI_TRAIN_EXCLUDE")
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "corpus", "*.jsonl"))):
        if exclude and re.search(exclude, os.path.basename(path)):
            continue
        for line in open(path, encoding="utf-8"):
            if line.strip():
                row = json.loads(line)
                texts.append(row["text"])
                labels.append(row["expect"])
    sweep = os.path.join(ROOT, ".cache", "sweep", "lines.txt")
    if not os.path.exists(sweep):
        sys.exit("train-model: run tests/sweep.sh first (it builds .cache/sweep/lines.txt)")
    lines = open(sweep, encoding="utf-8").read().split("\n")[:-1]
    # Negatives come from the even-numbered lines only, so the odd half stays
    # unseen for tests/sweep.sh: a random sample, plus every even line that
    # uses suicide vocabulary (死んだプロセス, 終わらせます), the hard cases.
    rng = random.Random(7)
    even = list(range(0, len(lines), 2))
    hard = re.compile(r"死|殺|終わ|消え|飛び|首|薬|逝|遺書|最後|さよう|練炭|自殺|kill|die|dead|suicid", re.I)
    chosen = set(rng.sample(even, NEGATIVES)) | {i for i in even if hard.search(lines[i])}
    for i in sorted(chosen):
        texts.append(lines[i])
        labels.append("none")
    inochi = build_cli()
    folded = fold(inochi, texts)
    # Every post with kanji is also learned spelled in hiragana (the way
    # people type around kanji filters; `inochi eval --perturb` measures it),
    # benign text as much as harmful, so that kana alone never reads as
    # harm. INOCHI_TRAIN_HIRAGANA=0 turns this off.
    if os.environ.get("INOCHI_TRAIN_HIRAGANA", "1") != "0":
        kanji = re.compile(r"[\u4e00-\u9fff]")
        corpus = len(texts) - len(chosen)
        pick = [i for i in range(corpus) if kanji.search(texts[i])]
        pick += rng.sample([i for i in range(corpus, len(texts)) if kanji.search(texts[i])], HIRAGANA_NEGATIVES)
        folded += fold(inochi, [texts[i] for i in pick], hiragana=True)
        labels += [labels[i] for i in pick]
        texts += [texts[i] for i in pick]

    vec = vectorizer()
    x = vec.fit_transform(folded)
    model = LogisticRegression(C=8, class_weight="balanced", max_iter=3000)
    model.fit(x, labels)
    weight = abs(model.coef_).max(axis=0)
    names = vec.get_feature_names_out()
    keep = sorted(range(len(names)), key=lambda k: -weight[k])[:KEEP]
    vocabulary = sorted(names[k] for k in keep)

    vec = vectorizer(vocabulary)
    x = vec.fit_transform(folded)
    model = LogisticRegression(C=8, class_weight="balanced", max_iter=3000)
    model.fit(x, labels)
    order = [list(model.classes_).index(c) for c in COLUMNS]
    idf = vec.idf_
    out = os.environ.get("INOCHI_MODEL_OUT", os.path.join(ROOT, "core", "packs", "model.tsv"))
    with open(out, "w", encoding="utf-8") as f:
        f.write(f"# inochi-model v1 classes={','.join(COLUMNS)} ngram=1-3 rows={len(texts)} "
                f"features={len(vocabulary)}\n")
        f.write("intercept\t" + "\t".join(f"{model.intercept_[k]:.6g}" for k in order) + "\n")
        for j, gram in enumerate(vec.get_feature_names_out()):
            esc = gram.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            col = model.coef_[:, j]
            f.write(f"{esc}\t{idf[j]:.6g}\t" + "\t".join(f"{col[k]:.5g}" for k in order) + "\n")
    print(f"train-model: {len(texts)} rows, {len(vocabulary)} features -> {out} "
          f"({os.path.getsize(out) / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
