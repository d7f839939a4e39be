"""The code on the pages, checked without running it: every `aws` command against botocore's service models and the
sourced table of the CLI's own commands (the lab's in the syntax CLI versions 1 and 2 share), every `cdk` command
against the pinned CDK CLI, Python that compiles, shell that parses, English blocks equal to the Korean ones, a set-up
that names the locked versions, no value the reader must guess, and the SDK's Region variables stated as boto3 reads them."""

from __future__ import annotations

import ipaddress
import json
import re
import subprocess
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
import yaml

from cli_models import TABLE, check_aws, check_cdk
from code_blocks import DOCS, ROOT, Block, blocks, inline_code, korean_pages, relative, site_pages, twin, without_comments
from shell_commands import commands
from test_lock import locked, normalise

LAB_PAGE = DOCS / "interfaces.md"
LAB_SECTION = "lab"  # the h2 id of the lab: its `aws` commands use only what CLI versions 1 and 2 share
SETUP_SECTION = "lab-setup"  # the h3 id of the lab's set-up: stated and pinned, not run
PAGE_IDS = [relative(p) for p in site_pages()]


def shell_blocks(path: Path) -> list[Block]:
    return [b for b in blocks(path) if b.is_shell]


def cli_problems(path: Path) -> list[str]:
    """Every problem of every `aws` and `cdk` command of a page (blocks and inline code), as "page:line: command: problem"."""
    found = []
    for block in shell_blocks(path):
        versions = (1, 2) if block.section == LAB_SECTION else (2,)
        for command in commands(block.text, block.line):
            if command.words[:1] == ["aws"]:
                for version in versions:
                    found += [f"{block.page}:{command.line}: {command}: {p}" for p in check_aws(command.words[1:], version=version)]
            elif command.words[:1] == ["cdk"]:
                found += [f"{block.page}:{command.line}: {command}: {p}" for p in check_cdk(command.words[1:])]
    for span in inline_code(path):
        words = span.text.split()
        if words[:1] == ["aws"] and len(words) > 1:
            versions = (1, 2) if span.section == LAB_SECTION else (2,)
            for version in versions:
                found += [f"{span.page}:{span.line}: {span.text}: {p}" for p in check_aws(words[1:], version=version, full=False)]
        elif words[:1] == ["cdk"] and len(words) > 1:
            found += [f"{span.page}:{span.line}: {span.text}: {p}" for p in check_cdk(words[1:])]
    return sorted(set(found), key=found.index)


@pytest.mark.parametrize("page", PAGE_IDS)
def test_every_aws_and_cdk_command_matches_the_service_models_and_the_clis(page):
    assert cli_problems(ROOT / page) == []


def test_the_command_check_names_page_and_line_for_a_misspelt_option(tmp_path, monkeypatch):
    page = DOCS / "interfaces.md"
    broken = page.read_text(encoding="utf-8").replace("--message-body", "--mesage-body", 1)
    copy = tmp_path / "docs" / "interfaces.md"
    copy.parent.mkdir()
    copy.write_text(broken, encoding="utf-8")
    monkeypatch.setattr("code_blocks.ROOT", tmp_path)
    line = next(n for n, text in enumerate(broken.splitlines(), 1) if "--mesage-body" in text)
    problems = "\n".join(cli_problems(copy))
    assert f"docs/interfaces.md:{line}: aws sqs send-message" in problems, problems
    assert "--mesage-body is not an option of `aws sqs send-message`" in problems and "did you mean --message-body?" in problems


@pytest.mark.parametrize(("words", "version", "problem"), [
    (["sqs", "send-message", "--queue-url", "$Q", "--region", "ap-northeast-2"], 2, "missing required option --message-body"),
    (["sqs", "create-queu", "--queue-name", "orders"], 2, "did you mean create-queue?"),
    (["ec2", "modify-availability-zone-group", "--group-name", "g", "--opt-in-status", "opted"], 2, "is not one of"),
    (["sts", "get-caller-identity", "--output", "yaml"], 1, "not an output format of CLI version 1"),
    (["login"], 1, "is not in CLI version 1"),
    (["ec2", "describe-vpcs", "--no-cli-pager"], 1, "nor a global option of CLI version 1"),
    (["cloudformation", "wait", "stack-deleted", "--stack-name", "s"], 2, "is not a waiter"),
    (["cloudformation", "deploy", "--stack-name", "s"], 2, "missing required option --template-file"),
    (["sqs", "list-queues", "--region", "ap-northeast-9"], 2, "not a Region botocore knows"),
])
def test_the_command_check_rejects(words, version, problem):
    assert problem in "\n".join(check_aws(words, version=version))


def test_the_cdk_check_rejects_an_unknown_option_and_a_bad_choice():
    assert "did you mean --require-approval?" in "\n".join(check_cdk(["deploy", "--requre-approval", "never"]))
    assert "is not one of" in "\n".join(check_cdk(["deploy", "--require-approval", "sometimes"]))
    assert check_cdk(["deploy", "--hotswap"]) == [] and check_cdk(["bootstrap", "aws://111111111111/ap-northeast-2"]) == []


def test_the_table_of_cli_commands_agrees_with_the_installed_cli_version_1():
    """Entries for version 1 exist there with their options; entries for version 2 only are absent from version 1."""
    from awscli.clidriver import create_clidriver

    def subcommands(command) -> dict:
        return command.subcommand_table if hasattr(command, "subcommand_table") else command._get_command_table()

    top = create_clidriver()._get_command_table()
    problems = []
    for name, entry in TABLE["commands"].items():
        command, *sub = name.split()
        found = top.get(command)
        if found is not None and sub:
            found = subcommands(found).get(sub[0])
        if 1 in entry["versions"]:
            if found is None:
                problems.append(f"`aws {name}` is not in the installed CLI v1")
                continue
            v1_options = {f"--{arg['name']}" for arg in getattr(found, "ARG_TABLE", [])}
            problems += [f"`aws {name}` {o} is not an option in CLI v1" for o in entry["options"] if o not in v1_options]
        elif found is not None:
            problems.append(f"`aws {name}` is marked version 2 only, but CLI v1 has it")
        assert entry["source"].startswith("https://docs.aws.amazon.com/"), f"{name}: the source must be AWS's documentation"
    assert problems == []


def test_a_page_that_names_a_version_2_command_says_from_which_release():
    for path in site_pages():
        text = path.read_text(encoding="utf-8")
        for name, entry in TABLE["commands"].items():
            if "since" in entry and f"`aws {name}`" in text:
                assert entry["since"] in text, f"{relative(path)} names `aws {name}` without saying it needs CLI {entry['since']}"


@pytest.mark.parametrize("page", PAGE_IDS)
def test_python_compiles_shell_parses_and_files_load(page):
    problems = []
    for block in blocks(ROOT / page):
        if block.lang == "python":
            try:
                compile(block.text, block.title or block.where, "exec")
            except SyntaxError as error:
                problems.append(f"{block.where}: Python does not compile: {error}")
        elif block.is_shell:
            result = subprocess.run(["bash", "-n"], input=block.text, capture_output=True, text=True, check=False)
            if result.returncode:
                problems.append(f"{block.where}: bash -n: {result.stderr.strip()}")
        elif block.lang == "json":
            try:
                json.loads(block.text)
            except ValueError as error:
                problems.append(f"{block.where}: JSON does not load: {error}")
        elif block.lang == "yaml":
            loader = type("TemplateLoader", (yaml.SafeLoader,), {})
            loader.add_multi_constructor("!", lambda loader, suffix, node: None)  # CloudFormation's !Ref and friends
            try:
                yaml.load(block.text, Loader=loader)  # a SafeLoader subclass
            except yaml.YAMLError as error:
                problems.append(f"{block.where}: YAML does not load: {error}")
    assert problems == []


def test_the_checks_fail_on_broken_code():
    broken = Block("docs/x.md", 3, "bash", None, "lab", None, 'echo "unclosed\n')
    result = subprocess.run(["bash", "-n"], input=broken.text, capture_output=True, text=True, check=False)
    assert result.returncode != 0
    with pytest.raises(SyntaxError):
        compile("def f(:\n", "x.py", "exec")


@pytest.mark.parametrize("page", [relative(p) for p in korean_pages()])
def test_english_code_blocks_equal_the_korean_ones_without_comments(page):
    def code(path):
        return [(b.lang, b.title, without_comments(b)) for b in blocks(path) if b.lang != "mermaid"]

    korean, english = code(ROOT / page), code(twin(ROOT / page))
    assert english == korean, f"{relative(twin(ROOT / page))}: the code differs from {page} (comments aside)"


def setup_installs() -> tuple[dict[str, str], dict[str, str]]:
    """What the lab's set-up installs: pip name -> version, npm name -> version."""
    pip, npm = {}, {}
    for block in shell_blocks(LAB_PAGE):
        if block.subsection != SETUP_SECTION:
            continue
        for command in commands(block.text, block.line):
            words = command.words
            if "pip" in words and "install" in words:
                for word in words[words.index("install") + 1:]:
                    assert "==" in word, f"{block.where}: `{word}` is not pinned (name==version)"
                    name, version = word.split("==")
                    pip[normalise(name)] = version
            elif words[:2] == ["npm", "install"]:
                for word in (w for w in words[2:] if not w.startswith("-")):
                    name, _, version = word.rpartition("@")
                    assert name and version, f"{block.where}: `{word}` is not pinned (name@version)"
                    npm[name] = version
    return pip, npm


def test_the_lab_set_up_installs_the_versions_the_locks_pin():
    pip, npm = setup_installs()
    assert pip and npm, "the lab's set-up installs nothing with pip or npm"
    test_lock = {name: version for name, (version, _) in locked("requirements-test.txt").items()}
    assert {n: v for n, v in pip.items() if test_lock.get(n) != v} == {}, \
        f"the set-up's pip versions differ from requirements-test.txt: { {n: (v, test_lock.get(n)) for n, v in pip.items()} }"
    packages = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    npm_lock = {name: packages.get(f"node_modules/{name}", {}).get("version") for name in npm}
    assert npm_lock == npm, f"the set-up's npm versions {npm} differ from package-lock.json {npm_lock}"


def test_the_lab_set_up_installs_every_library_the_files_import():
    pip, _ = setup_installs()
    providers = packages_distributions()
    missing = []
    for block in blocks(LAB_PAGE):
        if block.lang == "python" and block.title:
            imports = re.findall(r"^(?:from|import) (\w+)", block.text, re.M)
            for module in imports:
                if module in sys.stdlib_module_names:
                    continue
                names = {normalise(d) for d in providers.get(module, [])}
                if not names & set(pip):
                    missing.append(f"{block.title}: `import {module}` ({sorted(names)}) is not installed by the set-up")
    assert missing == []


# A value the reader would have to guess: an account, VPC, subnet or other resource id written into the code, or a
# placeholder. The pages fetch such values with commands instead (aws sts get-caller-identity, --query … --output text).
GUESSED = re.compile(r"\b\d{12}\b|\b(?:vpc|subnet|sg|igw|rtb|i|ami|vol)-[0-9a-f]{8,17}\b|<[^<>\n]+>|YOUR[-_]|\bEXAMPLE\b")


@pytest.mark.parametrize("page", PAGE_IDS)
def test_no_code_block_holds_a_value_the_reader_must_guess(page):
    found = [f"{b.where}: {m[0]}" for b in blocks(ROOT / page) if b.lang != "mermaid" for m in GUESSED.finditer(b.text)]
    assert found == []


def test_the_guess_check_catches_a_hard_coded_account_and_subnet():
    text = "aws sqs delete-queue --queue-url https://sqs.ap-northeast-2.amazonaws.com/123456789012/orders\nsubnet-0123456789abcdef0\n"
    assert [m[0] for m in GUESSED.finditer(text)] == ["123456789012", "subnet-0123456789abcdef0"]


# AWS's default VPC: 172.31.0.0/16, with one /20 default subnet per Availability Zone taken in order from
# 172.31.0.0/20 (https://docs.aws.amazon.com/vpc/latest/userguide/default-vpc.html). us-west-2 has four zones.
DEFAULT_VPC = ipaddress.ip_network("172.31.0.0/16")
DEFAULT_SUBNETS = list(DEFAULT_VPC.subnets(new_prefix=20))[:4]


def test_the_local_zone_subnet_fits_the_default_vpc_the_page_looks_up():
    page = DOCS / "infrastructure" / "local-zones.md"
    for path in (page, twin(page)):
        creates = [c for b in shell_blocks(path) for c in commands(b.text, b.line) if c.words[:3] == ["aws", "ec2", "create-subnet"]]
        assert creates, f"{relative(path)}: no create-subnet command"
        for command in creates:
            words = command.words
            cidr = ipaddress.ip_network(words[words.index("--cidr-block") + 1])
            assert cidr.subnet_of(DEFAULT_VPC), f"{relative(path)}:{command.line}: {cidr} is not inside the default VPC {DEFAULT_VPC}"
            assert not any(cidr.overlaps(s) for s in DEFAULT_SUBNETS), f"{relative(path)}:{command.line}: {cidr} overlaps a default subnet"
            assert words[words.index("--vpc-id") + 1].startswith("$"), f"{relative(path)}:{command.line}: the VPC id is typed in"


def test_the_sdk_region_sentence_says_what_boto3_reads():
    """Review #1: boto3 takes its default Region from AWS_DEFAULT_REGION, not AWS_REGION; other SDKs read AWS_REGION."""
    script = ("import boto3, os; print(boto3.session.Session().region_name)")
    base = {"PATH": "/usr/bin:/bin", "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"}
    read = {name: subprocess.run([sys.executable, "-c", script], env={**base, name: "eu-west-1"}, capture_output=True,
                                 text=True, check=True).stdout.strip()
            for name in ("AWS_DEFAULT_REGION", "AWS_REGION")}
    assert read == {"AWS_DEFAULT_REGION": "eu-west-1", "AWS_REGION": "None"}, \
        f"boto3 now reads {read}: update the Region sentence on interfaces.md and its English twin"
    for path, python in ((LAB_PAGE, "Python"), (twin(LAB_PAGE), "Python")):
        text = path.read_text(encoding="utf-8").split("{ #aws-sdk }", 1)[1].split("\n## ", 1)[0]
        sentence = next((s for s in re.split(r"(?<=[.다])\s", text) if "AWS_DEFAULT_REGION" in s), "")
        assert re.search(rf"{python}[^.]*`?\[?`AWS_DEFAULT_REGION`", sentence), \
            f"{relative(path)}: the SDK section does not say that the Python SDK reads AWS_DEFAULT_REGION: {sentence!r}"
        assert sentence.index("AWS_DEFAULT_REGION") < sentence.index("`AWS_REGION`"), \
            f"{relative(path)}: AWS_REGION must be named for the other SDKs, after boto3's AWS_DEFAULT_REGION: {sentence!r}"
