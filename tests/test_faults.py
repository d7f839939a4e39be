"""Bad input fails with the file named: each test breaks a copy of the project and checks the build (or check) says where."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import CONTRACT, build, copy_project
from site_checks import contract_problems

BROKEN_DIAGRAM = '\n```mermaid\nflowchart TB\n    accTitle: t\n    accDescr: d\n    A["unclosed --> B\n```\n'
SILENT_DIAGRAM = '\n```mermaid\nflowchart TB\n    A["no text alternative"] --> B\n```\n'


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "project")


def append(path, text):
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def failed_build(project, tmp_path, **env):
    result = build(project, tmp_path / "site", "http://127.0.0.1:9/aws-basics/", **env)
    assert result.returncode != 0, "the build should have failed"
    return result.stdout + result.stderr


def test_broken_diagram_fails_the_build_naming_the_file_and_line(project, tmp_path):
    page = project / "docs/infrastructure/regions.md"
    fence = page.read_text(encoding="utf-8").count("\n") + 2  # the appended ```mermaid line
    append(page, BROKEN_DIAGRAM)
    found = re.search(r"docs/infrastructure/regions\.md:(\d+): Parse error on line \d+", failed_build(project, tmp_path))
    assert found and fence < int(found.group(1)) <= fence + 5, "the line inside the fence where Mermaid stopped"


def test_build_without_a_browser_or_a_hangul_font_fails_with_one_clear_line(project, tmp_path):
    fresh = {"DIAGRAM_CACHE": str(tmp_path / "cache")}  # nothing drawn yet: the build needs the browser
    output = failed_build(project, tmp_path, CHROME_PATH=str(tmp_path / "no-chromium"), **fresh)
    assert re.search(r"ERROR +- +No Chromium to draw the diagrams: .*no-chromium", output)
    fonts = tmp_path / "fonts.conf"  # a fontconfig that knows no fonts at all
    fonts.write_text('<?xml version="1.0"?><fontconfig><dir>/nonexistent</dir></fontconfig>', encoding="utf-8")
    output = failed_build(project, tmp_path, FONTCONFIG_FILE=str(fonts), **fresh)
    assert re.search(r"ERROR +- +No Hangul font for the diagram labels: install one \(.*fonts-noto-cjk\)", output)


def test_diagram_without_text_alternative_fails_naming_the_file(project, tmp_path):
    append(project / "docs/en/service-types.md", SILENT_DIAGRAM)
    assert re.search(r"docs/en/service-types\.md:\d+: Mermaid diagram needs 'accTitle:'", failed_build(project, tmp_path))


def test_missing_translation_fails_naming_the_file(project, tmp_path):
    (project / "docs/en/interfaces.md").unlink()
    assert "docs/en/interfaces.md: missing English translation" in failed_build(project, tmp_path)


def test_heading_id_differing_between_languages_fails_naming_the_file(project, tmp_path):
    page = project / "docs/en/infrastructure/regions.md"
    page.write_text(page.read_text(encoding="utf-8").replace("{ #latency }", "{ #delay }"), encoding="utf-8")
    assert "docs/en/infrastructure/regions.md: heading ids differ" in failed_build(project, tmp_path)


def test_heading_without_explicit_id_fails_naming_the_file(project, tmp_path):
    append(project / "docs/service-types.md", "\n## 아이디 없는 제목\n\n본문입니다.\n")
    assert re.search(r"docs/service-types\.md:\d+: heading has no explicit id", failed_build(project, tmp_path))


def test_dead_link_fails_the_build_naming_the_file(project, tmp_path):
    append(project / "docs/en/infrastructure/local-zones.md", "\nSee [nowhere](no-such-page.md).\n")
    assert re.search(r"infrastructure/local-zones\.md.*no-such-page\.md", failed_build(project, tmp_path))


def test_dead_anchor_fails_the_build_naming_the_file(project, tmp_path):
    append(project / "docs/interfaces.md", "\n[없는 절](infrastructure/regions.md#no-such-section)을 참고합니다.\n")
    assert re.search(r"interfaces\.md.*#no-such-section", failed_build(project, tmp_path))


def test_renaming_an_id_in_both_languages_breaks_the_url_contract(project, tmp_path):
    for page in ("docs/infrastructure/regions.md", "docs/en/infrastructure/regions.md"):
        path = project / page
        path.write_text(path.read_text(encoding="utf-8").replace("{ #cost }", "{ #pricing }"), encoding="utf-8")
    result = build(project, tmp_path / "site", "http://127.0.0.1:9/aws-basics/")
    assert result.returncode == 0, result.stdout + result.stderr
    problems = "\n".join(contract_problems(tmp_path / "site", CONTRACT))
    assert "docs/infrastructure/regions.md: ids in the URL contract are gone: ['cost']" in problems
    assert "docs/en/infrastructure/regions.md: ids in the URL contract are gone: ['cost']" in problems


def test_another_material_release_that_takes_every_patch_builds(project, tmp_path):
    """No check reads Material's version: a release whose bundle still takes every patch builds (version faked here)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "SITE_URL": "http://127.0.0.1:9/aws-basics/", "NO_MKDOCS_2_WARNING": "1"}
    fake = ("import material, sys; material.__version__ = '9.9.0'; from mkdocs.__main__ import cli; "
            "sys.argv = ['mkdocs', 'build', '--strict', '-f', sys.argv[1], '-d', sys.argv[2]]; cli()")
    result = subprocess.run([sys.executable, "-c", fake, str(project / "mkdocs.yml"), str(tmp_path / "site")],
                            env=env, capture_output=True, text=True, cwd=project, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "9.9.0" in subprocess.run([sys.executable, "-c", fake.replace("cli()", "print(material.__version__)"), "", ""],
                                     capture_output=True, text=True, check=True).stdout


def test_a_material_patch_that_no_longer_applies_fails_naming_it(project, tmp_path):
    hook = project / "hooks/material_patches.py"
    hook.write_text(hook.read_text(encoding="utf-8").replace(
        """'M("table:not([class])",e).map(i=>ti(i))':""", """'M("table:not([class])",e).map(i=>gone(i))':"""),
        encoding="utf-8")
    output = failed_build(project, tmp_path)
    assert "Material patch 'M(\"table:not([class])\",e).map(i=>gone(i))' no longer applies" in output
    assert "update BUNDLE_PATCHES in hooks/material_patches.py" in output


def test_broken_diagram_during_serve_is_reported_and_the_page_keeps_its_last_drawing(project, tmp_path):

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", "-f", str(project / "mkdocs.yml")],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    url = f"http://127.0.0.1:{port}/infrastructure/regions/"
    try:
        def page(expect):
            for _ in range(120):
                try:
                    html = urllib.request.urlopen(url, timeout=5).read().decode()
                    if expect(html):
                        return html
                except OSError:
                    pass
                time.sleep(0.5)
            raise AssertionError("the server did not serve the expected page")

        before = page(lambda html: "diagram__svg" in html)
        regions = project / "docs/infrastructure/regions.md"
        broken = regions.read_text(encoding="utf-8").replace('X["후보에서 제외"]', 'X["후보에서 제외')
        regions.write_text(broken + "\nREBUILT-WITH-A-BROKEN-DIAGRAM\n", encoding="utf-8")
        after = page(lambda html: "REBUILT-WITH-A-BROKEN-DIAGRAM" in html)
        assert after.count("diagram__svg--light") == before.count("diagram__svg--light") == 1
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    reported = r"ERROR +- +Broken diagrams \(the pages keep their last good drawing\):\s+docs/infrastructure/regions\.md:\d+: Parse"
    assert re.search(reported, output), output[-2000:]
