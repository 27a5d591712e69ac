"""How the code is laid out (README "Where the code lives").

The layers themselves (demo → api → hr → certificates → courses → lms) are checked by
import-linter (`.importlinter`, run by `make check`). import-linter also counts an
import hidden inside a function, so such an import cannot break a layer; but it is
still how an import cycle is dodged instead of removed, and this test keeps them out.
"""

import ast
import configparser
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PROJECT = ("lms", "courses", "certificates", "hr", "api", "demo")

# Where an import of project code inside a function stays, and why (each place says so in a comment).
ALLOWED = {
    # ready(): models are not importable before the app registry is.
    "lms/apps.py:LmsConfig.ready",
    "courses/apps.py:CoursesConfig.ready",
    "certificates/apps.py:CertificatesConfig.ready",
    "api/apps.py:ApiConfig.ready",
    # WeasyPrint takes over a second to import; the web processes, which never render, never load it.
    "certificates/services.py:certificate_render",
}


def project_imports_inside_functions(source: str, *, path: str) -> set[str]:
    """`path:Qualified.function` for each import of a project package inside a function (or a class in one)."""
    found = set()

    def is_project(node) -> bool:
        if isinstance(node, ast.Import):
            return any(alias.name.split(".")[0] in PROJECT for alias in node.names)
        return node.level > 0 or (node.module or "").split(".")[0] in PROJECT

    def walk(node, scope: list[str], in_function: bool):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                walk(child, [*scope, child.name], True)
            elif isinstance(child, ast.ClassDef):
                walk(child, [*scope, child.name], in_function)
            else:
                if in_function and isinstance(child, (ast.Import, ast.ImportFrom)) and is_project(child):
                    found.add(f"{path}:{'.'.join(scope)}")
                walk(child, scope, in_function)

    walk(ast.parse(source), [], False)
    return found


def application_modules():
    for package in PROJECT:
        for file in sorted((ROOT / package).rglob("*.py")):
            relative = file.relative_to(ROOT)
            if {"tests", "migrations"} & set(relative.parts):
                continue
            yield relative.as_posix(), file.read_text(encoding="utf-8")


def test_imports_inside_functions_only_where_django_requires_them():
    found = set()
    for path, source in application_modules():
        found |= project_imports_inside_functions(source, path=path)
    unexpected = sorted(found - ALLOWED)
    assert not unexpected, (
        "Import these at the top of the module (import the module, not names, if two modules need each "
        "other), or, if Django requires it, add the place to ALLOWED with the reason:\n" + "\n".join(unexpected)
    )


def test_the_allowed_places_still_exist():
    """An entry for code that moved would let a new import in unseen; each one is still there."""
    found = set()
    for path, source in application_modules():
        found |= project_imports_inside_functions(source, path=path)
    assert ALLOWED <= found, sorted(ALLOWED - found)


def test_the_scan_finds_an_import_inside_a_function_or_a_method():
    source = (
        "import json\n"
        "from lms import roles\n"
        "def render():\n"
        "    from certificates.rendering import render_certificate_pdf\n"
        "class View:\n"
        "    def get(self):\n"
        "        if True:\n"
        "            import hr.selectors\n"
        "    def post(self):\n"
        "        from . import forms\n"
        "    def put(self):\n"
        "        import openpyxl\n"
    )
    assert project_imports_inside_functions(source, path="x.py") == {"x.py:render", "x.py:View.get", "x.py:View.post"}


def test_certificates_and_hr_are_kept_from_every_courses_module_but_its_public_ones():
    """The contract lists courses' other modules one by one: a new module of courses must join the list."""
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    forbidden = set(config["importlinter:contract:courses-public"]["forbidden_modules"].split())
    modules = {
        f"courses.{path.stem if path.is_file() else path.name}"
        for path in (ROOT / "courses").iterdir()
        if (path.suffix == ".py" or (path / "__init__.py").exists()) and path.name != "__init__.py"
    }
    public = {"courses.api", "courses.selectors", "courses.services", "courses.signals", "courses.tests"}
    assert modules - public == forbidden, sorted((modules - public) ^ forbidden)
