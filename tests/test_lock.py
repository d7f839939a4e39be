"""The hashed lock: every package pinned with hashes, the direct pins and the lock agree, and the lock installs on 3.11.2."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import ROOT

LOCKS = {"requirements.in": "requirements.txt", "requirements-test.in": "requirements-test.txt",
         "requirements-audit.in": "requirements-audit.txt"}  # the last: CI's dependency audit (scripts/audit_dependencies.py)
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[\w,-]+\])?==([^\s;\\]+)")  # name[extras]==version



def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def direct_pins(path) -> dict[str, str]:
    """name -> version for each `name==version` line of a .in file (and the .in files it includes with -r)."""
    pins = {}
    for line in (ROOT / path).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            pins |= direct_pins(line[3:].strip())
        elif match := PIN.match(line):
            pins[normalise(match[1])] = match[2]
    return pins


def locked(path) -> dict[str, tuple[str, list[str]]]:
    """name -> (version, hashes) for each requirement of a lock; fails on a requirement line that is not `name==version`."""
    entries, current = {}, None
    for line in (ROOT / path).read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or stripped == "--only-binary :all:":
            continue
        if stripped.startswith("--hash=sha256:"):
            assert current, f"{path}: hash before any requirement"
            entries[current][1].append(stripped.split(":", 1)[1].rstrip(" \\"))
            continue
        match = PIN.match(stripped)
        assert match, f"{path}: not a pinned requirement: {line!r}"
        current = normalise(match[1])
        entries[current] = (match[2], [])
    return entries


@pytest.mark.parametrize("source,lock", LOCKS.items())
def test_every_locked_package_is_pinned_with_hashes(source, lock):
    entries = locked(lock)
    assert entries, f"{lock} is empty"
    unhashed = [name for name, (_, hashes) in entries.items() if not hashes]
    assert unhashed == [], f"{lock}: packages without hashes: {unhashed}"
    assert all(re.fullmatch(r"[0-9a-f]{64}", h) for _, hashes in entries.values() for h in hashes)


@pytest.mark.parametrize("source,lock", LOCKS.items())
def test_direct_pins_and_the_lock_agree(source, lock):
    entries = locked(lock)
    mismatched = {name: (version, entries.get(name, ("missing",))[0])
                  for name, version in direct_pins(source).items() if entries.get(name, ("",))[0] != version}
    assert mismatched == {}, f"{source} pin vs {lock}: {mismatched}; regenerate the lock (command in {source})"


def test_the_test_lock_keeps_the_build_locks_versions():
    build, test = locked("requirements.txt"), locked("requirements-test.txt")
    moved = {name: (version, test.get(name, ("missing",))[0]) for name, (version, _) in build.items()
             if test.get(name, ("",))[0] != version}
    assert moved == {}


@pytest.mark.parametrize("lock", LOCKS.values())
def test_lock_resolves_for_debian_12_python_wheels_only(lock, tmp_path):
    """pip resolves the whole lock for Python 3.11.2 from wheels, checking every hash (needs the package index)."""
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--disable-pip-version-check", "--dry-run", "--ignore-installed",
         "--only-binary", ":all:", "--python-version", "3.11.2", "--target", str(tmp_path / "target"),
         "--require-hashes", "-r", str(ROOT / lock)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Would install" in result.stdout
