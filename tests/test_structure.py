"""How the code is laid out: short functions, and the project package below the app.

These read the source with `ast`, so they hold for code no test happens to run.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAX_FUNCTION_LINES = 40


def _sources(*packages: str) -> list[Path]:
    return sorted(
        path
        for package in packages
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    )


def _functions(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


@pytest.mark.parametrize("path", _sources("backcare", "programs"), ids=lambda p: p.name)
def test_no_function_is_longer_than_forty_lines(path):
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in _functions(path)
        if node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert long == [], f"{path.relative_to(ROOT)}: {long}"


def _imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
    return modules


def _include_targets(path: Path) -> set[str]:
    """Modules named as strings in `include("...")`: the URL configurations a file mounts."""
    targets = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "include":
            targets |= {
                arg.value
                for arg in node.args
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            }
    return targets


def test_the_project_package_imports_nothing_from_the_app():
    """`backcare/` holds the project, accounts and the user; `programs/` builds on it. The
    only way down into the app is mounting its URLs."""
    reached = {
        (str(path.relative_to(ROOT)), module)
        for path in _sources("backcare")
        for module in _imported_modules(path)
        if module == "programs" or module.startswith("programs.")
    }
    assert reached == set()
    mounted = {target for path in _sources("backcare") for target in _include_targets(path)}
    assert {t for t in mounted if t.startswith("programs")} <= {
        "programs.urls",
        "programs.urls_exports",
        "programs.urls_home",
    }


def test_pure_modules_touch_no_database():
    """The domain calculations run on plain values, so they are tested without a database."""
    pure = ["timeline", "pace", "phases", "progression", "goal_progress", "history", "charts"]
    pure.append("session_flow")
    for name in pure:
        modules = _imported_modules(ROOT / "programs" / f"{name}.py")
        assert not {m for m in modules if m.startswith(("django.db", "programs.models"))}, name
