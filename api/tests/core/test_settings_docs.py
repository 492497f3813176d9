"""Every variable the settings read is documented: a row of docs/operations.md's configuration
table and a line of `.env.example` (which also lists the variables a test process gets blank).

The variables are found in the source of `backend/settings/`: the first argument of each reader
called on `env` (`env.flag("DJANGO_DEBUG", ...)`), or the name handed with `env` to a module's
own reader (`_database(env, "DATABASE_URL", ...)`).
"""

import ast
import re

import pytest

from api.tests.live import ROOT

SETTINGS = ROOT / "backend" / "settings"
VARIABLE = re.compile(r"[A-Z][A-Z0-9_]*")


def _string(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _is_env(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "env"


def _variables_read() -> set[str]:
    names = set()
    for path in sorted(SETTINGS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            method = node.func
            if isinstance(method, ast.Attribute) and _is_env(method.value) and method.attr != "problem":
                name = _string(node.args[0])
            elif _is_env(node.args[0]) and len(node.args) > 1:
                name = _string(node.args[1])
            else:
                continue
            if name is not None:
                assert VARIABLE.fullmatch(name), f"{path.name} reads {name!r}, not a variable name"
                names.add(name)
    return names


VARIABLES = sorted(_variables_read())


def _table_variables() -> set[str]:
    """The variables named in the first column of the Configuration section's table."""
    text = (ROOT / "docs" / "operations.md").read_text()
    section = re.search(r"^## Configuration\n(.*?)(?=^## )", text, re.S | re.M)
    assert section, "docs/operations.md has no 'Configuration' section"
    rows = [line.split("|")[1] for line in section.group(1).splitlines() if line.startswith("| `")]
    return {name for cell in rows for name in re.findall(r"`([A-Z][A-Z0-9_]*)`", cell)}


def test_the_scan_finds_the_variables_of_every_settings_module():
    # One from each module, the readers of keys.py and the modules' own readers included, so
    # that a scan finding too little fails here rather than passing the tests below.
    assert {
        "DJANGO_DEBUG",
        "DATABASE_URL",
        "REDIS_URL",
        "JWT_ACCESS_TOKEN_LIFETIME",
        "JWT_SIGNING_KEY",
        "JWT_PRIVATE_KEY_FILE",
        "JWT_PREVIOUS_SIGNING_KEYS",
        "JWT_NEXT_PUBLIC_KEY_FILE",
        "CORS_ALLOWED_ORIGINS",
        "EMAIL_URL",
        "DEFAULT_FROM_EMAIL",
        "PASSWORD_RESET_URL",
        "LOG_FORMAT",
        "PROMETHEUS_MULTIPROC_DIR",
    } <= set(VARIABLES)
    assert len(VARIABLES) > 60


@pytest.mark.parametrize("variable", VARIABLES)
def test_every_variable_has_a_row_in_the_configuration_table(variable):
    assert variable in _table_variables(), f"docs/operations.md, 'Configuration', has no row for {variable}"


@pytest.mark.parametrize("variable", VARIABLES)
def test_every_variable_has_a_line_in_env_example(variable):
    text = (ROOT / ".env.example").read_text()

    assert re.search(rf"^(?:# ?)?{variable}=", text, re.M), f".env.example has no {variable}= line"


def test_the_table_names_no_variable_the_settings_do_not_read():
    assert _table_variables() <= set(VARIABLES)
