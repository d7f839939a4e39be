"""Linters: YAML, Markdown, English spelling, Python and the GitHub Actions workflows must all exit cleanly (configs at the root)."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent  # the virtualenv's bin/: linters installed from requirements-test.txt
PYTHON = [sys.executable, "-m"]


def present(*paths: str) -> list[str]:
    """The given paths that exist (README.md and CONTRIBUTING.md may not exist yet in a fresh checkout)."""
    return [p for p in paths if (ROOT / p).exists()]


def binary(name: str) -> str:
    """A linter shipped as a binary in a wheel, installed next to the interpreter."""
    path = BIN / name
    if not path.exists():
        pytest.fail(f"{name} is not installed in {BIN}: run `pip install -r requirements-test.txt` (./dev test does)")
    return str(path)


MARKDOWN = ("docs", "README.md", "CONTRIBUTING.md")
ENGLISH = ("docs/en", "README.md", "CONTRIBUTING.md", ".github", "hooks", "scripts", "tests", "overrides")  # not the Korean pages
PYTHON_CODE = ("hooks", "scripts", "tests", "benchmarks")

# Each linter's command, run from the repository root; .pre-commit-config.yaml runs the same commands.
LINTERS = {
    "yamllint": lambda: [*PYTHON, "yamllint", "--strict", "-c", ".yamllint.yml", "."],
    "pymarkdown": lambda: [*PYTHON, "pymarkdown", "--config", ".pymarkdown.yml", "scan", "-r", *present(*MARKDOWN)],
    "codespell": lambda: [*PYTHON, "codespell_lib", *present(*ENGLISH)],  # reads .codespellrc
    "ruff": lambda: [*PYTHON, "ruff", "check", "--no-cache", "--output-format", "concise", *present(*PYTHON_CODE)],
    # Also runs shellcheck over `run:` scripts when shellcheck is on PATH (it is on GitHub's runners).
    "actionlint": lambda: [binary("actionlint"), "-no-color"],
    # Offline: no GitHub API look-ups. Also audits .github/dependabot.yml (it wants a cooldown).
    "zizmor": lambda: [binary("zizmor"), "--offline", "--strict-collection", "--no-progress", "--color", "never", ".github/"],
}


@pytest.mark.parametrize("name", LINTERS)
def test_linter_exits_cleanly(name):
    command = LINTERS[name]()
    env = {**os.environ, "NO_COLOR": "1"}
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        pytest.fail(
            f"{name} found problems (exit {result.returncode}); reproduce with:\n  cd {ROOT} && {shlex.join(command)}\n"
            f"{result.stdout}\n{result.stderr}",
            pytrace=False,
        )
