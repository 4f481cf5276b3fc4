"""The installed wheel: where it was imported from, what it carries, what it declares."""

import ast
import sys
from importlib import metadata
from pathlib import Path

import inochi


def test_imported_from_the_installed_wheel_not_the_source_tree():
    pkg = Path(inochi.__file__).resolve()
    assert "site-packages" in pkg.parts, pkg
    assert Path(sys.prefix).resolve() in pkg.parents
    assert inochi._inochi.__file__.endswith(".so")


def test_version_matches_the_distribution():
    assert inochi.__version__ == metadata.version("inochi")


def test_ipadic_licence_travels_with_the_wheel():
    here = Path(inochi.__file__).parent
    licence = (here / "COPYING.ipadic").read_text(encoding="utf-8")
    assert "IPADIC" in licence and "Nara Institute of Science" in licence
    files = [str(f) for f in metadata.files("inochi")]
    assert any(f.endswith("licenses/COPYING.ipadic") for f in files), files
    assert "COPYING.ipadic" in (metadata.metadata("inochi").get_all("License-File") or [])
    assert "LicenseRef-IPADIC" in metadata.metadata("inochi")["License-Expression"]


def test_typed_and_stubbed():
    here = Path(inochi.__file__).parent
    assert (here / "py.typed").exists()
    stub = ast.parse((here / "__init__.pyi").read_text(encoding="utf-8"))
    names = set()
    for node in stub.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    missing = set(inochi.__all__) - names
    assert not missing, f"__init__.pyi lacks {sorted(missing)}"
    # Every public method of every class is stubbed.
    for cls in (inochi.Classifier, inochi.Verdict, inochi.Label, inochi.Evidence,
                inochi.PackInfo, inochi.TakedownRequest, inochi.EmergencyReport,
                inochi.SupportReferral):
        stub_cls = next(n for n in stub.body if isinstance(n, ast.ClassDef) and n.name == cls.__name__)
        stubbed = {n.name for n in stub_cls.body if isinstance(n, ast.FunctionDef)}
        public = {n for n in dir(cls) if not n.startswith("_")}
        assert public <= stubbed, f"{cls.__name__}: stubs lack {sorted(public - stubbed)}"


def test_everything_public_is_documented():
    for name in inochi.__all__:
        obj = getattr(inochi, name)
        if callable(obj):
            assert obj.__doc__, name
    assert inochi.__doc__ and "InochiError" in inochi.__doc__

