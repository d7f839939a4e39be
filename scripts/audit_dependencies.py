"""Known advisories in the locked dependencies: pip-audit on requirements-test.txt, npm audit on the packages the build uses.

Needs the advisory databases (PyPI's JSON API and OSV, the npm registry's audit endpoint), so CI runs it on GitHub
(.github/workflows/ci.yml, job "audit") and `./dev test` does not. Exits 1 on any advisory not in ALLOWED, on a package
that could not be audited, or when an audit could not run; pip-audit from requirements-audit.txt.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Advisories accepted, each with the reason it does not apply to this site (and until when): id (GHSA-, PYSEC-, CVE-) -> why.
ALLOWED: dict[str, str] = {}


def python_findings(report: dict) -> tuple[list[tuple[list[str], str]], list[str]]:
    """([(advisory ids, one line)], [packages pip-audit could not check]) from `pip-audit --format json`."""
    findings, unaudited = [], []
    for dependency in report.get("dependencies", []):
        if dependency.get("skip_reason"):
            unaudited.append(f"{dependency['name']}: {dependency['skip_reason']}")
        for vuln in dependency.get("vulns", []):
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed release"
            findings.append(([vuln["id"], *vuln.get("aliases", [])],
                             f"{dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixed})"))
    return findings, unaudited


def npm_findings(report: dict) -> tuple[list[tuple[list[str], str]], list[str]]:
    """([(advisory ids, one line)], [why the audit failed]) from `npm audit --json` (report version 2)."""
    if "vulnerabilities" not in report:
        return [], [f"npm audit did not run: {report.get('message') or report.get('error') or report}"]
    findings = []
    for name, vulnerability in sorted(report["vulnerabilities"].items()):
        for advisory in vulnerability.get("via", []):
            if isinstance(advisory, dict):  # a string names the dependency the advisory comes through
                ids = [advisory.get("url", "").rstrip("/").rsplit("/", 1)[-1], str(advisory.get("source"))]
                findings.append((ids, f"{name} {advisory.get('range', '')}: {advisory.get('title')} ({advisory.get('url')})"))
    return findings, []


def problems(findings: list[tuple[list[str], str]], failures: list[str]) -> list[str]:
    """Everything that fails the audit: findings not in ALLOWED, and packages or audits that could not be checked."""
    return failures + [line for ids, line in findings if not any(i in ALLOWED for i in ids)]


def _run(command: list[str]) -> dict:
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError:
        return {"message": f"{' '.join(command[:3])} exited {result.returncode}: {result.stderr.strip()[-500:]}"}


def main() -> int:
    python = python_findings(_run([sys.executable, "-m", "pip_audit", "--require-hashes", "--disable-pip", "--progress-spinner",
                                   "off", "--format", "json", "-r", "requirements-test.txt"]))
    npm = npm_findings(_run(["npm", "audit", "--omit=dev", "--package-lock-only", "--json"]))
    found = problems(python[0] + npm[0], python[1] + npm[1])
    for ids, line in python[0] + npm[0]:
        if allowed := next((ALLOWED[i] for i in ids if i in ALLOWED), None):
            print(f"allowed: {line}: {allowed}")
    print("\n".join(found) or "pip-audit and npm audit: no advisory outside the allow-list")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
