"""The lock files install what the requirements files pin: a pin changed without `make lock`
would otherwise go unnoticed, since `make install` reads only the locks."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _name(name: str) -> str:
    """A distribution's name as the index compares it (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(path: Path) -> dict[str, str]:
    """The `name==version` lines of a requirements file, following its `-r` includes."""
    pins: dict[str, str] = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line.startswith("-r "):
            pins.update(_pins(path.parent / line.removeprefix("-r ").strip()))
        elif line:
            name, version = re.fullmatch(r"([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==(\S+)", line).groups()
            pins[_name(name)] = version
    return pins


def _locked(path: Path) -> dict[str, list[str]]:
    """Each locked distribution's `name==version` line, with the hashes that follow it."""
    locked: dict[str, list[str]] = {}
    current = None
    for line in path.read_text().splitlines():
        if match := re.match(r"([A-Za-z0-9_.-]+)==(\S+)", line):
            current = f"{_name(match[1])}=={match[2]}"
            locked[current] = []
        elif current and (digest := re.search(r"--hash=sha256:([0-9a-f]{64})", line)):
            locked[current].append(digest[1])
    return locked


@pytest.mark.parametrize(
    "requirements, lock",
    [("requirements.txt", "requirements.lock"), ("requirements-dev.txt", "requirements-dev.lock")],
)
def test_the_lock_pins_each_requirement_at_its_version_with_hashes(requirements, lock):
    locked = _locked(ROOT / lock)

    assert locked
    for name, version in _pins(ROOT / requirements).items():
        assert f"{name}=={version}" in locked, f"{lock} does not pin {name}=={version}: run make lock"
    assert all(locked.values()), f"{lock} has a package without hashes"


def test_the_development_lock_has_the_runtime_lock_versions():
    development = _locked(ROOT / "requirements-dev.lock")

    assert set(_locked(ROOT / "requirements.lock")) <= set(development)
