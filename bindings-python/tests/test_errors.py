"""Errors: every failure is an InochiError (a ValueError) with a message that says what is
wrong and where; a Rust panic never aborts the interpreter."""

import pytest

import inochi
from conftest import NOW, REQUESTER

URL = {"url": "https://sns.example/@someone/posts/1"}


def test_hierarchy():
    assert issubclass(inochi.InochiError, ValueError)
    assert issubclass(inochi.RulePackError, inochi.InochiError)
    assert issubclass(inochi.PayloadError, inochi.InochiError)
    assert inochi.InochiError.__module__ == "inochi"


def test_bad_pack_toml_names_the_pack(tmp_path):
    bad = tmp_path / "broken-pack.toml"
    bad.write_text('[pack]\nname = 1\n', encoding="utf-8")
    with pytest.raises(inochi.RulePackError, match="broken-pack.toml") as e:
        inochi.Classifier(pack=bad)
    assert "line 2" in str(e.value)
    with pytest.raises(inochi.RulePackError, match='"pack_toml"'):
        inochi.Classifier(pack_toml="[pack]\nname = 1\n")


def test_bad_extension_names_the_rule_and_concept(tmp_path):
    ext = tmp_path / "acme.toml"
    ext.write_text(
        '[pack]\nname = "acme"\nversion = "1"\n\n[[rules]]\nid = "acme.x"\n'
        'category = "inducement"\nscore = 0.9\nall = ["NO_SUCH_CONCEPT"]\n',
        encoding="utf-8",
    )
    with pytest.raises(inochi.RulePackError) as e:
        inochi.Classifier(extend=[ext])
    msg = str(e.value)
    assert "acme.toml" in msg and "acme.x" in msg and "NO_SUCH_CONCEPT" in msg


def test_pack_that_would_remove_a_cry_for_help_is_refused():
    ext = '[pack]\nname = "harsh"\nversion = "1"\n[actions]\nideation = ["takedown"]\n'
    with pytest.raises(inochi.RulePackError, match="never removal"):
        inochi.Classifier(extend_toml=[ext])


def test_missing_pack_file(tmp_path):
    missing = tmp_path / "nope.toml"
    with pytest.raises(inochi.RulePackError, match="nope.toml"):
        inochi.Classifier(pack=missing)


def test_pack_and_pack_toml_together():
    with pytest.raises(ValueError, match="not both"):
        inochi.Classifier(pack="a.toml", pack_toml="[pack]")


def test_takedown_for_ideation_is_refused(classifier):
    v = classifier.classify("死にたいなあ")
    with pytest.raises(inochi.PayloadError) as e:
        inochi.takedown_request(v, requester=REQUESTER, post=URL, now=NOW)
    msg = str(e.value)
    assert "ideation" in msg and "never content to remove" in msg and "support referral" in msg


def test_takedown_for_announcement_and_none_are_refused(classifier):
    with pytest.raises(inochi.PayloadError, match="emergency report"):
        inochi.takedown_request(
            classifier.classify("今夜ビルの屋上から飛び降ります。さようなら"),
            requester=REQUESTER, post=URL, now=NOW,
        )
    with pytest.raises(inochi.PayloadError, match="nothing harmful"):
        inochi.takedown_request(
            classifier.classify("今日はいい天気"), requester=REQUESTER, post=URL, now=NOW
        )


def test_other_payload_refusals(classifier):
    ideation = classifier.classify("死にたいなあ")
    with pytest.raises(inochi.PayloadError, match="no emergency report"):
        inochi.emergency_report(ideation, requester=REQUESTER, now=NOW)
    with pytest.raises(inochi.PayloadError, match="no support referral"):
        inochi.support_referral(classifier.classify("確実に死ねる方法を教えます"), now=NOW)


def test_payload_field_errors_name_the_field(classifier):
    v = classifier.classify("確実に死ねる方法を教えます")
    with pytest.raises(inochi.PayloadError, match="target.url"):
        inochi.takedown_request(v, requester=REQUESTER, now=NOW)
    with pytest.raises(inochi.PayloadError, match="not an absolute http"):
        inochi.takedown_request(v, requester=REQUESTER, post={"url": "sns.example/1"}, now=NOW)
    with pytest.raises(inochi.PayloadError, match="RFC 3339"):
        inochi.takedown_request(v, requester=REQUESTER, post=URL, now="yesterday")
    with pytest.raises(inochi.PayloadError, match="unknown field"):
        inochi.takedown_request(v, requester=dict(REQUESTER, phone="1"), post=URL, now=NOW)
    with pytest.raises(inochi.PayloadError, match="missing field `contact`"):
        inochi.takedown_request(
            v, requester={"organisation": "x", "kind": "user"}, post=URL, now=NOW
        )
    with pytest.raises(inochi.PayloadError, match="unknown variant"):
        inochi.takedown_request(v, requester=dict(REQUESTER, kind="robot"), post=URL, now=NOW)
    with pytest.raises(inochi.PayloadError, match='post: unknown field "link"'):
        inochi.takedown_request(v, requester=REQUESTER, post={"link": "x"}, now=NOW)
    with pytest.raises(inochi.PayloadError, match="response_days"):
        inochi.takedown_request(v, requester=REQUESTER, post=URL, now=NOW, response_days=365)
    with pytest.raises(inochi.PayloadError, match="requested_action"):
        inochi.takedown_request(v, requester=REQUESTER, post=URL, now=NOW, requested_action="ban")
    with pytest.raises(inochi.PayloadError, match="the verdict was made for another text"):
        inochi.takedown_request(v, text="まったく別の文章です。", requester=REQUESTER, post=URL, now=NOW)
    r = inochi.takedown_request(v, requester=REQUESTER, post=URL, now=NOW)
    with pytest.raises(inochi.PayloadError, match="legal_ground"):
        r.to_dsa(ground="illegal_content")
    with pytest.raises(inochi.PayloadError, match="territorial_scope"):
        r.to_dsa(territorial_scope=["US"])


def test_wrong_types_are_type_errors(classifier):
    v = classifier.classify("確実に死ねる方法を教えます")
    with pytest.raises(TypeError, match="requester must be a dict"):
        inochi.takedown_request(v, requester="me", post=URL, now=NOW)
    with pytest.raises(TypeError, match=r'post\["url"\] must be a str'):
        inochi.takedown_request(v, requester=REQUESTER, post={"url": 3.5}, now=NOW)
    with pytest.raises(TypeError, match="not a str"):
        classifier.classify_batch("死にたい")
    with pytest.raises(TypeError, match=r"texts\[1\] must be a str"):
        classifier.classify_batch(["ok", 3])
    with pytest.raises(TypeError):
        classifier.classify(None)
    with pytest.raises(ValueError, match="threads"):
        classifier.classify_batch(["ok"], threads=0)


def test_unknown_category_is_an_inochi_error(classifier):
    v = classifier.classify("死にたいなあ")
    with pytest.raises(inochi.InochiError, match="unknown category"):
        v.has("suicide")
    with pytest.raises(inochi.InochiError, match="unknown category"):
        inochi.takedown_request(v, requester=REQUESTER, post=URL, category="suicide")


def test_bad_verdict_json():
    with pytest.raises(inochi.InochiError, match="not a verdict"):
        inochi.Verdict.from_json('{"primary": "maybe"}')


def test_a_rust_panic_is_an_inochi_error_not_an_abort():
    with pytest.raises(inochi.InochiError, match="internal error in inochi: boom") as e:
        inochi._inochi._panic("boom")
    assert isinstance(e.value, Exception)  # catchable by `except Exception`
    # The interpreter and the library go on working.
    assert inochi.classify("死にたいなあ").primary == "ideation"
