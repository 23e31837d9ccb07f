"""The import graph's layers: the commands on top, then workers, the stages, the schemas."""

import ast
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# package → the top-level packages (and pipeline subpackages) it must never import
FORBIDDEN = {
    "schemas": ("pipeline", "workers", "samples"),
    "pipeline": ("workers", "samples", "pipeline.commands"),
    "workers": ("samples", "pipeline.commands"),
    "samples": ("workers", "pipeline.commands"),
}


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports (absolute imports; this project uses no relative ones)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def module_files(package: str) -> list[Path]:
    files = sorted((ROOT / package).rglob("*.py"))
    if package == "pipeline":  # the commands (and `python -m pipeline`) are the top layer
        files = [
            f
            for f in files
            if "commands" not in f.relative_to(ROOT).parts and f.name != "__main__.py"
        ]
    return files


def violations(package: str) -> list[str]:
    found = []
    for path in module_files(package):
        for name in imported_modules(path):
            for banned in FORBIDDEN[package]:
                if name == banned or name.startswith(banned + "."):
                    found.append(f"{path.relative_to(ROOT)} imports {name}")
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_package_imports_a_layer_above_it(package: str) -> None:
    assert module_files(package)
    assert violations(package) == []


def test_the_checker_installs_without_the_sample_generators_packages() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = " ".join(project["dependencies"])
    assert "reportlab" not in runtime
    assert any(dep.startswith("reportlab") for dep in project["optional-dependencies"]["dev"])


def test_a_command_missing_a_development_package_says_which(tmp_path: Path) -> None:
    import subprocess

    hide = "import sys; sys.modules['reportlab'] = None; from pipeline.commands.main import main"
    result = subprocess.run(
        [sys.executable, "-c", f"{hide}; sys.exit(main(['bench', '--n', '1']))"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 2
    assert "needs the package 'reportlab'" in result.stderr
    assert "Traceback" not in result.stderr
