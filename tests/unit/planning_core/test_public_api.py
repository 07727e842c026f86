"""The public surface of planning_core is deliberate: pin it, and keep the core pure."""

import ast
import pathlib

import planning_core


def test_public_names_are_exported_and_importable() -> None:
    for name in planning_core.__all__:
        assert hasattr(planning_core, name), name
    assert "forecast_panel" in planning_core.__all__
    assert len(planning_core.__all__) == len(set(planning_core.__all__))


def test_errors_share_one_base_with_stable_codes() -> None:
    codes = {
        cls.code
        for cls in (
            planning_core.InputShapeError,
            planning_core.InputValueError,
            planning_core.MissingColumnsError,
            planning_core.ThresholdsError,
            planning_core.UnknownMethodError,
        )
        if issubclass(cls, planning_core.PlanningError)
    }
    assert len(codes) == 5 and all(code.startswith("planning.") for code in codes)


def test_planning_core_imports_no_framework_or_gateway() -> None:
    allowed_roots = {"numpy", "pandas", "scipy", "planning_core", "__future__", "collections",
                     "dataclasses", "datetime", "typing", "itertools", "math", "os",
                     "multiprocessing", "concurrent"}  # fmt: skip
    root = pathlib.Path(planning_core.__file__).parent
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in allowed_roots, f"{path.name} imports {name}"
