"""Payloads: built by the core, identical to `inochi act`, and round-tripping through JSON."""

import json
from datetime import datetime, timedelta, timezone

import pytest

import inochi
from conftest import NOW, REQUESTER, run_cli

POST_KEYS = ("url", "post_id", "account_id", "posted_at")


def post_of(row):
    return {k: row[k] for k in POST_KEYS if k in row}


def python_payloads(classifier, rows, fmt):
    """What `inochi act --format FMT --now NOW` writes for these rows, built in Python with
    the CLI's choice of payloads for the default requester policy."""
    docs = []
    for row in rows:
        v = classifier.classify(row["text"])
        post = post_of(row)
        if "takedown" in v.actions and (v.has("inducement") or v.has("method")):
            r = inochi.takedown_request(v, requester=REQUESTER, post=post, now=NOW)
            docs.append({"json": r.to_json, "letter": r.to_letter, "dsa": r.to_dsa}[fmt]())
        if "emergency" in v.actions:
            r = inochi.emergency_report(v, requester=REQUESTER, post=post, now=NOW)
            if fmt == "json":
                docs.append(r.to_json())
            elif fmt == "letter":
                docs += [r.to_police_report(), r.to_dsa_notice()]
        if "support" in v.actions:
            r = inochi.support_referral(v, post=post, now=NOW)
            docs.append({"json": r.to_json, "letter": r.to_text, "dsa": lambda: None}[fmt]())
    return [d for d in docs if d is not None]


@pytest.fixture(scope="module")
def requester_file(tmp_path_factory):
    p = tmp_path_factory.mktemp("act") / "requester.toml"
    p.write_text("".join(f'{k} = "{v}"\n' for k, v in REQUESTER.items()), encoding="utf-8")
    return p


@pytest.mark.parametrize("fmt", ["json", "letter", "dsa"])
def test_payloads_match_inochi_act(classifier, examples, root, requester_file, fmt):
    classified = run_cli("classify", "--no-progress", str(root / "examples" / "posts.jsonl"))
    assert classified.returncode == 0, classified.stderr.decode()
    act = run_cli(
        "act", "--requester", str(requester_file), "--format", fmt, "--now", NOW,
        stdin=classified.stdout.decode("utf-8"),
    )
    assert act.returncode == 0, act.stdout.decode() + act.stderr.decode()
    out = act.stdout.decode("utf-8")
    cli_docs = out.split("\x0c\n") if fmt == "letter" else out.splitlines()
    py_docs = python_payloads(classifier, examples, fmt)
    assert len(py_docs) == len(cli_docs) > 3
    for py, cli in zip(py_docs, cli_docs):
        assert py == cli


def test_takedown_request_round_trips(classifier):
    text = "一緒に死ねる人を探しています。DMください"
    v = classifier.classify(text)
    post = {"url": "https://sns.example/@kuro_2024/posts/1001", "post_id": 1001}
    r = inochi.takedown_request(v, requester=REQUESTER, post=post, now=NOW)
    d = json.loads(r.to_json())
    assert d == r.to_dict()
    assert d["type"] == r.type == "takedown_request"
    assert d["id"] == r.id and r.id.startswith("td-")
    assert d["created_at"] == r.created_at == NOW
    assert d["category"] == r.category == "inducement"
    assert d["target"]["post_id"] == "1001"  # an int id is taken as written
    assert d["response_deadline"] == "2025-03-24T10:00:00+09:00"
    assert "【回答期限】" in r.to_letter()
    sor = json.loads(r.to_dsa(terms_url="https://sns.example/terms", automated_decision="fully"))
    assert sor["category"] == "STATEMENT_CATEGORY_SELF_HARM"
    assert sor["automated_decision"] == "AUTOMATED_DECISION_FULLY"
    illegal = json.loads(r.to_dsa(ground="illegal_content", legal_ground="Some law, Art. 1"))
    assert illegal["decision_ground"] == "DECISION_GROUND_ILLEGAL_CONTENT"
    assert repr(r).startswith("TakedownRequest(id='td-")
    # Deterministic with a fixed clock; text defaults to the verdict's.
    again = inochi.takedown_request(v, text=text, requester=REQUESTER, post=post, now=NOW)
    assert again.to_json() == r.to_json()


def test_takedown_options_are_passed_to_the_core(classifier):
    v = classifier.classify("お前は自殺した方が世のためだ")
    assert v.primary == "incitement"
    post = {"url": "https://sns.example/@troll_x/posts/1011"}
    with pytest.raises(inochi.PayloadError, match="incitement_takedown"):
        inochi.takedown_request(v, requester=REQUESTER, post=post, now=NOW)
    r = inochi.takedown_request(
        v, requester=dict(REQUESTER, reference="REF-1"), post=post, now=NOW,
        incitement_takedown=True, requested_action="restrict_visibility",
        response_days=3, excerpt_chars=40, terms_reference="利用規約 第5条",
    )
    d = r.to_dict()
    assert d["category"] == "incitement"
    assert d["requested_action"] == "restrict_visibility"
    assert d["response_deadline"] == "2025-03-20T10:00:00+09:00"
    assert d["requester"]["reference"] == "REF-1"
    assert d["grounds"][0]["reference"] == "利用規約 第5条"


def test_emergency_report_without_metadata(classifier):
    v = classifier.classify("今夜ビルの屋上から飛び降ります。さようなら")
    r = inochi.emergency_report(v, requester=REQUESTER, now=NOW)
    d = json.loads(r.to_json())
    assert d["type"] == r.type == "emergency_report"
    assert d["urgency"] == r.urgency == "immediate"
    assert d["target"]["url"] is None
    assert "自殺予告事案" in r.to_police_report()
    assert "Article 18" in r.to_dsa_notice()
    bad = inochi.emergency_report(v, requester=REQUESTER, post={"posted_at": "yesterday"}, now=NOW)
    assert bad.warnings and "posted_at" in bad.warnings[0]


def test_support_referral_by_locale_and_age(classifier):
    v = classifier.classify("i just want to die")
    r = inochi.support_referral(v, locale="en-US", now=NOW)
    d = json.loads(r.to_json())
    assert d["type"] == r.type == "support_referral"
    assert r.category == "ideation" and r.language == "en"
    assert d["resources"][0]["phones"][0]["number"] == "988"
    assert r.message in r.to_text()
    minor = inochi.support_referral(classifier.classify("死にたいなあ"), age_group="minor", now=NOW)
    assert minor.to_dict()["resources"][0]["name"] == "24時間子供SOSダイヤル"


def test_support_referral_with_own_resources(classifier, tmp_path):
    toml = """
as_of = "2026-01-05"
[messages.en]
ideation = "We are here."
announcement = "Please call now."
[[resources]]
id = "our-line"
name = "Our Line"
regions = ["US"]
languages = ["en"]
phones = [{ number = "555-0100" }]
"""
    v = classifier.classify("i just want to die")
    r = inochi.support_referral(v, resources_toml=toml, now=NOW)
    assert r.to_dict()["resources_as_of"] == "2026-01-05"
    assert r.message == "We are here."
    path = tmp_path / "support.toml"
    path.write_text(toml, encoding="utf-8")
    assert inochi.support_referral(v, resources=path, now=NOW).to_json() == r.to_json()


def test_now_accepts_an_aware_datetime(classifier):
    v = classifier.classify("死にたいなあ")
    jst = timezone(timedelta(hours=9))
    r = inochi.support_referral(v, now=datetime(2025, 3, 17, 10, 0, tzinfo=jst))
    assert r.created_at == NOW
    assert inochi.support_referral(v).created_at.endswith("Z")  # the system clock, UTC


def test_payloads_from_a_verdict_read_back(classifier):
    text = "確実に死ねる方法を教えます"
    line = classifier.classify(text).to_json()
    v = inochi.Verdict.from_json(line)
    post = {"url": "https://sns.example/@anon_7731/posts/1005"}
    with pytest.raises(inochi.PayloadError, match="no text"):
        inochi.takedown_request(v, requester=REQUESTER, post=post, now=NOW)
    r = inochi.takedown_request(v, text=text, requester=REQUESTER, post=post, now=NOW)
    assert r.category == "method"
