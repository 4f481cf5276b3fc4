"""Classification: the Python package agrees with the Rust CLI row for row, and its
objects behave as documented."""

import json
import pickle

import pytest

import inochi
from conftest import run_cli

VERDICT_KEYS = ("primary", "labels", "actions", "pack")


def test_corpus_matches_the_cli_row_for_row(classifier, corpus, corpus_cli):
    texts = [row["text"] for _, _, row in corpus]
    verdicts = classifier.classify_batch(texts)
    assert len(verdicts) == len(corpus)
    mismatches = []
    for (name, _, row), verdict, cli_line in zip(corpus, verdicts, corpus_cli):
        cli = json.loads(cli_line)
        # Byte for byte: the CLI appends the verdict's fields to the input's.
        vjson = verdict.to_json()
        same_json = cli_line.endswith("," + vjson[1:]) and vjson.startswith('{"primary":')
        if verdict.primary != cli["primary"] or not same_json:
            mismatches.append((name, row.get("id"), verdict.primary, cli["primary"]))
        assert {k: cli[k] for k in VERDICT_KEYS} == verdict.to_dict()
    assert not mismatches, f"{len(mismatches)} rows differ from the CLI: {mismatches[:10]}"


def test_corpus_one_by_one_equals_batch(classifier, corpus):
    texts = [row["text"] for _, _, row in corpus]
    batch = classifier.classify_batch(texts)
    single = [classifier.classify(t) for t in texts]
    assert batch == single
    assert [v.to_json() for v in batch] == [v.to_json() for v in single]
    assert [v.text for v in batch] == texts


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_batch_with_a_thread_count_keeps_order(classifier, corpus, threads):
    texts = [row["text"] for _, _, row in corpus][:300]
    assert classifier.classify_batch(texts, threads=threads) == classifier.classify_batch(texts)


def test_batch_accepts_any_iterable_and_empty(classifier):
    assert classifier.classify_batch([]) == []
    gen = (t for t in ["死にたいなあ", "今日はいい天気"])
    assert [v.primary for v in classifier.classify_batch(gen)] == ["ideation", "none"]
    assert [v.primary for v in classifier.classify_batch(("kys",))] == ["incitement"]


def test_module_level_classify_uses_the_default_pack(classifier):
    text = "一緒に死ねる人を探しています。DMください"
    v = inochi.classify(text)
    assert v == classifier.classify(text)
    assert v.primary == "inducement"
    assert v.actions == ["takedown", "report"]
    assert inochi.classify("死ぬほど眠い").primary == "none"


def test_verdict_attributes_are_plain_str_and_numbers(classifier):
    text = "今夜ビルの屋上から飛び降ります。さようなら"
    v = classifier.classify(text)
    assert type(v.primary) is str and v.primary == "announcement"
    assert all(type(a) is str for a in v.actions)
    assert v.text == text
    assert v.labels[0].category == "announcement"
    assert all(type(lab.category) is str for lab in v.labels)
    assert 0 < v.labels[0].score <= 1
    assert v.has("announcement") and not v.has("method")
    assert v.label("announcement") == v.labels[0]
    assert v.label("method") is None
    assert v.pack.name == "inochi-default"
    assert v.pack.hash.startswith("sha256:")
    assert v.pack == classifier.pack
    assert set(inochi.CATEGORIES) == {
        "announcement", "inducement", "method", "incitement", "ideation", "none",
    }
    assert inochi.CATEGORIES[0] == "announcement"


def test_evidence_points_at_the_original_text(classifier):
    # Evasions are folded, but evidence points at the text as written.
    for text in ["タヒにたい", "死 に た い", "一緒に死ねる人を探しています。DMください", "k y s"]:
        v = classifier.classify(text)
        assert v.labels, text
        for label in v.labels:
            for e in label.evidence:
                assert text[e.char_start:e.char_end] == e.text
                assert text.encode()[e.byte_start:e.byte_end].decode() == e.text
                assert e.rule and e.concept


def test_none_verdict_is_empty(classifier):
    v = classifier.classify("今日はいい天気")
    assert v.primary == "none"
    assert v.labels == [] and v.actions == []
    assert json.loads(v.to_json())["labels"] == []


def test_to_dict_and_to_json_agree(classifier):
    v = classifier.classify("確実に死ねる方法を教えます")
    assert v.to_dict() == json.loads(v.to_json())
    assert v.labels[0].to_dict() == v.to_dict()["labels"][0]
    assert v.labels[0].evidence[0].to_dict() == v.to_dict()["labels"][0]["evidence"][0]
    assert json.loads(v.labels[0].to_json()) == v.labels[0].to_dict()
    assert v.pack.to_dict() == v.to_dict()["pack"]


def test_reprs_are_informative(classifier):
    v = classifier.classify("死にたいなあ")
    r = repr(v)
    assert r.startswith("Verdict(primary='ideation'") and "'support'" in r
    assert repr(v.labels[0]).startswith("Label(category='ideation', score=")
    assert repr(v.labels[0].evidence[0]).startswith("Evidence(rule=")
    assert repr(v.pack).startswith("PackInfo(name='inochi-default'")
    assert repr(classifier) == "Classifier(pack='inochi-default 0.1.0')"


def test_objects_are_immutable(classifier):
    v = classifier.classify("死にたいなあ")
    with pytest.raises(AttributeError):
        v.primary = "none"
    with pytest.raises(AttributeError):
        v.labels[0].score = 0.0
    with pytest.raises(AttributeError):
        v.labels[0].evidence[0].text = "x"
    with pytest.raises(AttributeError):
        v.pack.hash = "x"
    with pytest.raises(TypeError):
        inochi.Verdict()
    # Lists handed out are copies: changing them changes nothing.
    v.labels.clear()
    v.actions.append("takedown")
    assert v.labels and v.actions == ["support"]


def test_verdicts_hash_pickle_and_read_back(classifier):
    text = "集団自殺しませんか？場所と道具はこちらで用意します"
    v = classifier.classify(text)
    assert v == classifier.classify(text)
    assert hash(v) == hash(classifier.classify(text))
    assert len({v, classifier.classify(text), classifier.classify("kys")}) == 2
    back = pickle.loads(pickle.dumps(v))
    assert back == v and back.text == text and back.to_json() == v.to_json()
    read = inochi.Verdict.from_json(v.to_json())
    assert read == v and read.text is None
    assert inochi.Verdict.from_json(v.to_json(), text=text).text == text


def test_verdict_from_a_cli_line(corpus_cli, corpus, classifier):
    line = corpus_cli[0]
    v = inochi.Verdict.from_json(line, text=corpus[0][2]["text"])
    assert v == classifier.classify(corpus[0][2]["text"])


def test_extended_pack_matches_the_cli(tmp_path, root):
    ext = tmp_path / "our-slang.toml"
    ext.write_text(
        '[pack]\nname = "our-slang"\nversion = "1"\n\n[fold]\nevasion = [{ from = "ﾀﾋ", to = "死" }]\n',
        encoding="utf-8",
    )
    c = inochi.Classifier(extend=[str(ext)])
    v = c.classify("ﾀﾋにたい")
    assert v.primary == "ideation"
    assert c.pack.name == "inochi-default+our-slang"
    assert c.pack.version == "0.1.0+1"
    done = run_cli("classify", "--lines", "--no-progress", "--extend", str(ext), stdin="ﾀﾋにたい\n")
    assert done.returncode == 0, done.stderr.decode()
    cli = json.loads(done.stdout)
    assert {k: cli[k] for k in VERDICT_KEYS} == v.to_dict()
    # os.PathLike works too, and the same path gives the same pack.
    assert inochi.Classifier(extend=[ext]).pack == c.pack


def test_pack_and_extend_as_toml_text(root):
    text = (root / "core" / "packs" / "default.toml").read_text(encoding="utf-8")
    # default.toml alone is a complete pack (without the ja/en rules merged onto it).
    base = inochi.Classifier(pack_toml=text)
    assert base.pack.name == "inochi-default"
    c = inochi.Classifier(
        extend_toml=['[pack]\nname = "x"\nversion = "2"\n[fold]\nevasion = [{ from = "ﾀﾋ", to = "死" }]\n']
    )
    assert c.pack.name == "inochi-default+x"
    assert c.classify("ﾀﾋにたい").primary == "ideation"


def test_explain_says_how(classifier):
    e = classifier.explain("死にたいなあ")
    assert e["triggered"] is True
    assert e["verdict"]["primary"] == "ideation"
    assert any(f["rule"] for f in e["fired"])
