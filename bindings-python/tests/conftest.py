"""Shared fixtures. The suite runs against the installed wheel (bindings-python/test.sh);
INOCHI_CLI names the Rust CLI to compare with, INOCHI_ROOT the repository."""

import json
import os
import subprocess
from pathlib import Path

import pytest

import inochi

ROOT = Path(os.environ.get("INOCHI_ROOT", Path(__file__).resolve().parents[2]))

REQUESTER = {
    "organisation": "Example Cyber Patrol",
    "kind": "cyber_patrol",
    "contact": "patrol@example.org",
}
NOW = "2025-03-17T10:00:00+09:00"


def cli_path() -> Path:
    cli = os.environ.get("INOCHI_CLI")
    if cli:
        return Path(cli)
    for profile in ("release", "debug"):
        p = ROOT / "target" / profile / "inochi"
        if p.exists():
            return p
    pytest.skip("no Rust CLI: set INOCHI_CLI or build it (cargo build -p inochi-cli)")


def run_cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(cli_path()), *args],
        input=stdin.encode("utf-8"),
        capture_output=True,
        check=False,
    )


def read_jsonl(path: Path) -> list:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def classifier() -> "inochi.Classifier":
    return inochi.Classifier()


@pytest.fixture(scope="session")
def corpus():
    """Every labeled row of tests/corpus/*.jsonl, as (file name, raw line, row)."""
    rows = []
    files = sorted((ROOT / "tests" / "corpus").glob("*.jsonl"))
    assert files, f"no corpus under {ROOT / 'tests' / 'corpus'}"
    for path in files:
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.rstrip("\n")
                if line.strip():
                    rows.append((path.name, line, json.loads(line)))
    return rows


@pytest.fixture(scope="session")
def corpus_cli(corpus):
    """The CLI's output line for every corpus row, in order."""
    stdin = "".join(line + "\n" for _, line, _ in corpus)
    done = run_cli("classify", "--no-progress", stdin=stdin)
    assert done.returncode == 0, done.stderr.decode()
    out = done.stdout.decode("utf-8").splitlines()
    assert len(out) == len(corpus)
    return out


@pytest.fixture(scope="session")
def examples(root):
    return read_jsonl(root / "examples" / "posts.jsonl")
