"""The layout the README's "Code map" describes is the one in the tree, and imports obey it."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
API = ROOT / "api"
DOMAINS = ("core", "dpop", "sessions", "mfa", "passkeys", "accounts", "notes", "oidc")
# Which domain packages each may import: `notes`, `accounts` and `mfa` build on `sessions` and
# `core`, `passkeys` on those and `mfa` (a passkey finishes a two-factor login), `sessions` on
# `core` and `dpop` (the proofs of sender-constrained tokens; the token endpoints of `mfa`,
# `passkeys` and `accounts` reach them through `sessions/binding.py`), `dpop` on `core`, and
# `core` on none of them. A login or step-up that needs a second factor asks
# `sessions/second_factor.py`, which `mfa` and `passkeys` answer (registered by `api/apps.py`):
# `sessions` names no module of either.
MAY_IMPORT = {
    "core": set(),
    "dpop": {"core"},
    "sessions": {"core", "dpop"},
    "mfa": {"core", "sessions"},
    "passkeys": {"core", "sessions", "mfa"},
    "accounts": {"core", "sessions"},
    "notes": {"core", "sessions"},
    "oidc": {"core", "sessions"},
}


def _code_map() -> str:
    readme = (ROOT / "README.md").read_text()
    section = re.search(r"^## Code map\n(.*?)(?=^## )", readme, re.S | re.M)
    assert section, "README.md has no 'Code map' section"
    return section.group(1)


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
    return modules


def test_every_path_the_code_map_names_exists():
    named = re.findall(r"`([\w./-]+(?:/|\.py))`", _code_map())
    assert named
    for path in named:
        candidates = [ROOT / path, API / path, ROOT / "backend" / path]
        candidates += [API / domain / path for domain in DOMAINS]
        assert any(candidate.exists() for candidate in candidates), f"code map names missing {path}"


def test_every_package_of_the_app_is_in_the_code_map():
    code_map = _code_map()
    packages = [
        p.parent.name for p in API.glob("*/__init__.py") if p.parent.name not in ("migrations", "tests")
    ]
    assert set(DOMAINS) <= set(packages)
    for package in packages:
        assert f"{package}/" in code_map, f"api/{package}/ is not in the code map"


@pytest.mark.parametrize("domain", DOMAINS)
def test_domain_packages_import_only_what_the_code_map_allows(domain):
    forbidden = set(DOMAINS) - MAY_IMPORT[domain] - {domain}
    for path in sorted((API / domain).rglob("*.py")):
        for module in _imported_modules(path):
            parts = module.split(".")
            assert not (parts[0] == "api" and len(parts) > 1 and parts[1] in forbidden), (
                f"{path.relative_to(ROOT)} imports {module}"
            )


def test_shared_modules_import_no_domain_but_core():
    shared = [*sorted((API / "models").glob("*.py")), *sorted((API / "migrations").glob("*.py"))]
    assert len(shared) > 2
    for path in shared:
        for module in _imported_modules(path):
            parts = module.split(".")
            assert not (parts[0] == "api" and len(parts) > 1 and parts[1] in set(DOMAINS) - {"core"}), (
                f"{path.relative_to(ROOT)} imports {module}"
            )


def test_the_packages_may_import_no_circle():
    def reaches(start: str, goal: str, seen: frozenset = frozenset()) -> bool:
        return any(
            step == goal or (step not in seen and reaches(step, goal, seen | {step}))
            for step in MAY_IMPORT[start]
        )

    assert not [domain for domain in DOMAINS if reaches(domain, domain)]


def test_no_two_modules_of_the_app_import_each_other():
    # Imports inside functions count too: a lazy import only hides a circle until it runs.
    modules = {_module_name(path): path for path in API.rglob("*.py")}
    imports = {
        name: {module for module in _imported_modules(path) if module in modules} - {name}
        for name, path in modules.items()
    }
    circles = sorted(
        f"{first} <-> {second}"
        for first, imported in imports.items()
        for second in imported
        if first < second and first in imports[second]
    )
    assert not circles


# The developers' guide: a module past this is split, each part with a subject of its own.
MAX_MODULE_LINES = 400


def test_no_module_of_the_app_or_its_settings_is_over_400_lines():
    modules = [
        path
        for path in [*API.rglob("*.py"), *(ROOT / "backend").rglob("*.py")]
        if not {"tests", "migrations"} & set(path.relative_to(ROOT).parts)
    ]
    assert len(modules) > 50
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in modules
        if (lines := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert not too_long
