"""Translation drift: prints the English pages whose Korean source changed later (never fails on drift), and checks the script itself."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "translation_drift.py"
sys.path.insert(0, str(ROOT / "scripts"))

from translation_drift import find_drift  # noqa: E402

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def test_report_translation_drift_of_this_checkout(capsys):
    """The report for this repository: shown in the test output (`-s` or -rA), informational only."""
    result = subprocess.run([sys.executable, str(SCRIPT)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr  # the script must run; drift itself never fails the suite
    with capsys.disabled():
        print("\n[translation drift]\n" + result.stdout.rstrip())


# --- the script on small throwaway repositories ---------------------------------------------------------------------

def git(repo: Path, *args: str, when: int | None = None) -> str:
    """Runs git in `repo` with a fixed identity and, optionally, a fixed author/committer time (seconds since the epoch)."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org", "GIT_CONFIG_NOSYSTEM": "1"}
    if when is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"@{when} +0000"
    return subprocess.run(["git", "-C", str(repo), *args], env=env, capture_output=True, text=True, check=True).stdout


def write(repo: Path, path: str, text: str) -> None:
    (repo / path).parent.mkdir(parents=True, exist_ok=True)
    (repo / path).write_text(text, encoding="utf-8")


def commit(repo: Path, message: str, when: int) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, when=when)


@pytest.fixture
def repo(tmp_path) -> Path:
    """Two translated pages committed together at t=1000."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    for page in ("index.md", "infrastructure/regions.md"):
        write(root, f"docs/{page}", "# 한국어 { #home }\n")
        write(root, f"docs/en/{page}", "# English { #home }\n")
    commit(root, "both languages", when=1000)
    return root


@needs_git
def test_no_drift_when_both_languages_change_together(repo):
    report = find_drift(repo)
    assert report.drift == []
    assert report.notes == []


@needs_git
def test_a_later_korean_change_is_listed(repo):
    write(repo, "docs/infrastructure/regions.md", "# 한국어, 고침 { #home }\n")
    commit(repo, "Korean fix", when=2000)
    write(repo, "docs/infrastructure/regions.md", "# 한국어, 또 고침 { #home }\n")
    commit(repo, "another Korean fix", when=3000)
    (drift,) = find_drift(repo).drift
    assert (drift.english, drift.korean) == ("docs/en/infrastructure/regions.md", "docs/infrastructure/regions.md")
    assert drift.korean_commits_since == 2
    assert "docs/en/infrastructure/regions.md: docs/infrastructure/regions.md changed" in str(drift)


@needs_git
def test_updating_the_translation_clears_the_drift(repo):
    write(repo, "docs/index.md", "# 새 제목 { #home }\n")
    commit(repo, "Korean change", when=2000)
    write(repo, "docs/en/index.md", "# New title { #home }\n")
    commit(repo, "translation", when=3000)
    assert find_drift(repo).drift == []


@needs_git
def test_uncommitted_pages_are_noted_not_compared(repo):
    write(repo, "docs/service-types.md", "# 서비스 { #service-types }\n")
    write(repo, "docs/en/service-types.md", "# Services { #service-types }\n")
    report = find_drift(repo)
    assert report.drift == []
    assert any("not committed yet" in note and "docs/service-types.md" in note for note in report.notes)


@needs_git
def test_a_shallow_clone_is_noted(repo, tmp_path):
    write(repo, "docs/index.md", "# 고침 { #home }\n")
    commit(repo, "Korean change", when=2000)
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", repo.as_uri(), str(clone))
    report = find_drift(clone)
    assert report.drift == []  # both files were last touched "in" the one commit the clone has
    assert any("shallow clone" in note for note in report.notes)


def test_no_git_history_is_a_note_and_exit_0(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))  # even if the temp folder sits inside a checkout
    write(tmp_path, "docs/index.md", "# 한국어 { #home }\n")
    write(tmp_path, "docs/en/index.md", "# English { #home }\n")
    report = find_drift(tmp_path)
    assert report.drift == []
    assert any("no git history" in note for note in report.notes)
    result = subprocess.run([sys.executable, str(SCRIPT), "--root", str(tmp_path), "--strict"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert "no git history" in result.stdout
