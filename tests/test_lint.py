"""Linters: YAML, Markdown, English spelling, Python, and the GitHub files (workflows, Dependabot, issue forms) checked
against their schemas and audited by zizmor, must all exit cleanly (configs at the root); every action is pinned by SHA."""

from __future__ import annotations

import os
import re
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


def github_files(folder: str, *, but: str = "") -> list[str]:
    """The YAML files in .github/<folder> (relative to the root), for the schema checks."""
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / ".github" / folder).glob("*.y*ml") if p.name != but)


def schema(name: str, *files: str) -> list[str]:
    """check-jsonschema against a SchemaStore schema vendored in its wheel (--builtin-schema: nothing is downloaded)."""
    return [binary("check-jsonschema"), "--builtin-schema", f"vendor.{name}", *files]


# Each linter's command, run from the repository root.
LINTERS = {
    "yamllint": lambda: [*PYTHON, "yamllint", "--strict", "-c", ".yamllint.yml", "."],
    "pymarkdown": lambda: [*PYTHON, "pymarkdown", "--config", ".pymarkdown.yml", "scan", "-r", *present(*MARKDOWN)],
    "codespell": lambda: [*PYTHON, "codespell_lib", *present(*ENGLISH)],  # reads .codespellrc
    "ruff": lambda: [*PYTHON, "ruff", "check", "--no-cache", "--output-format", "concise", *present(*PYTHON_CODE)],
    "workflows-schema": lambda: schema("github-workflows", *github_files("workflows")),
    "dependabot-schema": lambda: schema("dependabot", ".github/dependabot.yml"),
    "issue-forms-schema": lambda: schema("github-issue-forms", *github_files("ISSUE_TEMPLATE", but="config.yml")),
    "issue-config-schema": lambda: schema("github-issue-config", ".github/ISSUE_TEMPLATE/config.yml"),
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


# `uses:` in a workflow step or job. Pinned: owner/repo[/path]@<40-hex commit> followed by "# v<version>"; a local
# action ("./…") needs no pin; a container ("docker://…") must be pinned by its sha256 digest.
USES = re.compile(r"""^\s*(?:-\s+)?uses:\s*["']?([^"'\s#]+)["']?\s*(?:#\s*(.*))?$""")
PINNED = re.compile(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}")
VERSION_COMMENT = re.compile(r"v?\d+(\.\d+)*\S*")
DOCKER_DIGEST = re.compile(r"docker://[^@\s]+@sha256:[0-9a-f]{64}")


def unpinned_uses(text: str, where: str) -> list[str]:
    """Every `uses:` in a workflow's text that is not pinned as above, as "file:line: problem"."""
    problems, found = [], 0
    for number, line in enumerate(text.splitlines(), 1):
        match = USES.match(line)
        if not match:
            continue
        found += 1
        ref, comment = match[1], (match[2] or "").strip()
        if ref.startswith("./"):
            continue
        if ref.startswith("docker://"):
            if not DOCKER_DIGEST.fullmatch(ref):
                problems.append(f"{where}:{number}: container not pinned by digest (docker://image@sha256:…): {ref}")
        elif not PINNED.fullmatch(ref):
            problems.append(f"{where}:{number}: not pinned by a full 40-hex commit SHA: {ref}")
        elif not VERSION_COMMENT.fullmatch(comment):
            problems.append(f"{where}:{number}: pinned SHA without its version in a comment (# vX.Y.Z): {ref}")
    expected = len(re.findall(r"\buses:", text))  # a `uses:` the line pattern missed (flow style) is a problem too
    if found != expected:
        problems.append(f"{where}: {expected - found} `uses:` written in a form this check cannot read; one per line")
    return problems


def workflow_files() -> list[Path]:
    return sorted((ROOT / ".github").glob("workflows/*.y*ml")) + sorted((ROOT / ".github").glob("actions/**/action.y*ml"))


def test_every_action_is_pinned_by_commit_sha_with_its_version():
    files = workflow_files()
    assert files, "no workflows found in .github/workflows"
    problems = [p for f in files for p in unpinned_uses(f.read_text(encoding="utf-8"), str(f.relative_to(ROOT)))]
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("line,problem", [
    ("      - uses: actions/checkout@v4", "not pinned by a full 40-hex commit SHA"),
    ("      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1", "without its version"),
    ("        uses: actions/checkout@3d3c42e5 # v7.0.1", "not pinned by a full 40-hex commit SHA"),
    ("      - uses: 'docker://alpine:3.20'", "container not pinned by digest"),
    ("      - {name: x, uses: actions/checkout@main}", "cannot read"),
])
def test_the_pin_check_rejects_tags_short_shas_missing_versions_and_images_by_tag(line, problem):
    assert problem in "\n".join(unpinned_uses(f"steps:\n{line}\n", "w.yml"))


@pytest.mark.parametrize("line", [
    "      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1",
    "      - uses: ./.github/actions/setup",
    "      - uses: docker://alpine@sha256:" + "a" * 64,
])
def test_the_pin_check_accepts_shas_with_versions_local_actions_and_digests(line):
    assert unpinned_uses(f"steps:\n{line}\n", "w.yml") == []
