"""The import-linter contracts in setup.cfg (layers, no cycle between subpackages, admin and API
boundaries) hold, so a broken layer fails the suite as well as CI's ``lint-imports`` step."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "wagtail_mentoring"
#: Modules excused from the "every import inside a function says why" rule (none today).
NOT_YET_CHECKED: set[Path] = set()

pytest.importorskip("importlinter", reason="import-linter is in the test extra")


def _lint(*args: str) -> subprocess.CompletedProcess:
    """Run lint-imports on this checkout's package (not on another installed copy)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    code = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
    return subprocess.run(
        [sys.executable, "-c", code, "--no-cache", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_import_contracts_are_kept():
    result = _lint()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout, result.stdout


def _unexplained_imports(path: Path) -> list[int]:
    """Line numbers of imports inside functions with no comment on the line or on the line above
    their group (consecutive import statements share one comment)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []
    for func in ast.walk(ast.parse("\n".join(lines))):
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(func):
            for body in (getattr(node, name, None) for name in ("body", "orelse", "finalbody")):
                if not isinstance(body, list):
                    continue
                group: list[ast.stmt] = []
                for stmt in [*body, None]:
                    if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                        group.append(stmt)
                        continue
                    if group:
                        above = lines[group[0].lineno - 2].strip()
                        inline = any("#" in lines[i.lineno - 1] for i in group)
                        if not (above.startswith("#") or inline):
                            found += [i.lineno for i in group]
                        group = []
    return found


def test_every_import_inside_a_function_says_why():
    """An import inside a function is the exception (app registry, Wagtail dispatch); each has a reason."""
    missing = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if "migrations" not in path.parts and path not in NOT_YET_CHECKED
        for line in _unexplained_imports(path)
    ]
    assert not missing, "imports inside functions without a one-line reason:\n" + "\n".join(missing)
