"""The Python examples of the READMEs run as written."""

import re

import pytest

from conftest import ROOT

BLOCK = re.compile(r"```python\n(.*?)```", re.S)


@pytest.mark.parametrize("readme", ["README.md", "bindings-python/README.md"])
def test_readme_examples_run(readme, capsys):
    path = ROOT / readme
    blocks = BLOCK.findall(path.read_text(encoding="utf-8"))
    assert blocks, f"no python example in {readme}"
    namespace = {}
    for block in blocks:  # later blocks use names from earlier ones
        exec(compile(block, str(path), "exec"), namespace)
    out = capsys.readouterr().out
    assert out
