"""The dependency audit (scripts/audit_dependencies.py) reads what pip-audit and npm audit report: it runs in CI on GitHub,
where the advisory databases are reachable, not here; these tests feed it reports of the shape each tool writes."""

from __future__ import annotations

import re

import pytest
import yaml

import audit_dependencies as audit
from conftest import ROOT

UNAUDITED = {"dependencies": [{"name": "babel", "skip_reason": "Dependency not found on PyPI and could not be audited: babel (2.19.0)"}]}
PYTHON = {"dependencies": [{"name": "jinja2", "version": "3.1.2", "vulns": [
    {"id": "GHSA-h5c8-rqwp-cp95", "fix_versions": ["3.1.3"], "aliases": ["CVE-2024-22195"], "description": "xmlattr"}]},
    {"name": "babel", "version": "2.19.0", "vulns": []}], "fixes": []}
NPM = {"auditReportVersion": 2, "vulnerabilities": {"dompurify": {"name": "dompurify", "severity": "moderate", "via": [
    {"source": 1100000, "name": "dompurify", "dependency": "dompurify", "title": "Cross-site scripting", "range": "<3.5.1",
     "url": "https://github.com/advisories/GHSA-aaaa-bbbb-cccc", "severity": "moderate"}]},
    "mermaid": {"name": "mermaid", "severity": "moderate", "via": ["dompurify"]}}, "metadata": {}}
NPM_DOWN = {"message": "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk",
            "error": {"summary": "", "detail": ""}}


def test_a_package_that_could_not_be_audited_fails_the_audit():
    """pip-audit says "No known vulnerabilities found" when it could check nothing: that is not a clean result."""
    assert audit.problems(*audit.python_findings(UNAUDITED)) == [
        "babel: Dependency not found on PyPI and could not be audited: babel (2.19.0)"]


def test_an_audit_that_could_not_run_fails():
    assert audit.problems(*audit.npm_findings(NPM_DOWN))[0].startswith("npm audit did not run: 405 Method Not Allowed")


def test_each_advisory_is_reported_in_one_line_with_its_fix():
    found = audit.problems(*audit.python_findings(PYTHON)) + audit.problems(*audit.npm_findings(NPM))
    assert found == ["jinja2 3.1.2: GHSA-h5c8-rqwp-cp95 (fixed in 3.1.3)",
                     "dompurify <3.5.1: Cross-site scripting (https://github.com/advisories/GHSA-aaaa-bbbb-cccc)"]


@pytest.mark.parametrize("advisory", ["CVE-2024-22195", "GHSA-aaaa-bbbb-cccc"])
def test_an_allowed_advisory_passes_by_any_of_its_ids(advisory, monkeypatch):
    monkeypatch.setattr(audit, "ALLOWED", {advisory: "the affected function is never called by the build"})
    found = audit.problems(*audit.python_findings(PYTHON)) + audit.problems(*audit.npm_findings(NPM))
    assert len(found) == 1 and advisory not in found[0]


def test_every_allowed_advisory_gives_its_reason():
    assert all(re.fullmatch(r"(GHSA|PYSEC|CVE)-[\w-]+", i) and len(reason) > 20 for i, reason in audit.ALLOWED.items())


def test_ci_runs_the_audit_on_github_and_dev_test_does_not():
    jobs = yaml.safe_load((ROOT / ".github/workflows/ci.yml").read_text(encoding="utf-8"))["jobs"]
    steps = [step.get("run", "") for step in jobs["audit"]["steps"]]
    assert any("requirements-audit.txt" in run for run in steps) and any("scripts/audit_dependencies.py" in run for run in steps)
    assert "audit_dependencies" not in (ROOT / "dev").read_text(encoding="utf-8")
