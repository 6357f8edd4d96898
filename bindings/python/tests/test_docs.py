"""The README's Python example and the package docstring's examples run as written."""

import doctest
import re

import cccd
from conftest import REPO


def test_readme_python_example_runs(capsys):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("\n## Python\n"):]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert blocks, "no python example in the README's Python section"
    exec(compile(blocks[0], "README.md", "exec"), {})
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "<cccd.Card layout=2021 id_number=079*********>"
    assert out[1].startswith("079203001234|123456789|")


def test_package_docstring_examples():
    failures, tried = doctest.testmod(cccd, verbose=False)
    assert tried >= 4 and failures == 0
