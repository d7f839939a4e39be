"""The interfaces page's lab, run as written against a local AWS (moto's server on 127.0.0.1): the blocks are read from the
page's Markdown in page order, titled blocks are saved as files, every other shell block runs in one `bash -euo pipefail`
session, each step's effect is checked, nothing is left after the clean-up and no request leaves the machine. What moto
cannot run is named in MOTO_CANNOT_RUN and checked without running (test_examples.py). The CDK app's synthesized template
is compared with the hand-written one, and both pass cfn-lint. The Local Zone example runs as far as moto can."""

from __future__ import annotations

import ipaddress
import json
import re
import resource
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import boto3
import pytest
import yaml

from code_blocks import DOCS, Block, blocks, relative, site_pages
from local_aws import ACCOUNT_ID, BIN, Moto, RecordingProxy, Session, environment
from shell_commands import commands, variables_used

LAB_PAGE = DOCS / "interfaces.md"
LOCAL_ZONE_PAGE = DOCS / "infrastructure" / "local-zones.md"
SETUP = "lab-setup"  # the lab's set-up: stated and pinned, not run (test_examples.py checks it against the locks)

# What moto 5.2.5 cannot run, measured on 2026-12-03 (moto_server on 127.0.0.1 with the AWS CLI 1.46.3 and the CDK CLI
# 2.1148.1). A block holding one of these commands is not run; the commands are checked against the service models and
# the CDK CLI instead. Measure again before adding an entry: `cdk bootstrap`, reported broken upstream, runs here.
MOTO_CANNOT_RUN = {
    "cdk deploy": "moto answers CreateChangeSet with a template in the bootstrap bucket with 'The specified bucket does "
                  "not exist', and DeleteChangeSet of an unknown change set with HTTP 500 (UnboundLocalError)",
    "aws ec2 modify-availability-zone-group": "moto answers with HTTP 500",
    "aws ec2 create-subnet": "the page creates the subnet in Local Zone us-west-2-lax-1a; moto lists no Local Zones and "
                             "answers InvalidParameterValue (subnets only in the Regions' Availability Zones)",
}


@dataclass
class Lab:
    """One run of a page's shell blocks: what ran, what did not and why, the variables each block set, and the time it took."""

    page: Path
    workdir: Path
    moto: Moto
    ran: list[Block] = field(default_factory=list)
    not_run: dict[str, str] = field(default_factory=dict)  # "page:line" -> reason
    variables: dict[str, str] = field(default_factory=dict)
    checked: list[str] = field(default_factory=list)  # the steps whose effect was checked
    seconds: float = 0.0  # wall-clock time of the whole run
    cpu_seconds: float = 0.0  # CPU time of the processes the blocks started (independent of the machine's load)
    timings: dict[str, float] = field(default_factory=dict)  # "page:line" -> wall-clock seconds of each block run
    transcript: str = ""
    trace: str = ""  # the commands as bash ran them

    def client(self, service: str, region: str = "ap-northeast-2"):
        return boto3.client(service, region_name=region, endpoint_url=self.moto.url, aws_access_key_id="testing",
                            aws_secret_access_key="testing")


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def reason_not_to_run(block: Block, unset: set[str]) -> str | None:
    """Why a block is not run: set-up, a command moto cannot run, or a variable only such a block sets."""
    if block.subsection == SETUP:
        return "set-up: stated and pinned, not run"
    for command in commands(block.text, block.line):
        for name, reason in MOTO_CANNOT_RUN.items():
            if command.words[:len(name.split())] == name.split():
                return f"`{name}`: {reason}"
    if used := sorted(variables_used(block.text) & unset):
        return f"uses ${used[0]}, which only a block that is not run sets"
    return None


def assigned(block: Block) -> list[str]:
    return list(dict.fromkeys(name for command in commands(block.text, block.line) for name in command.assigns))


def snapshot(lab: Lab) -> dict[str, object]:
    """What exists in the local AWS, by kind (list calls): the lab must leave all of it empty."""
    seoul, oregon = "ap-northeast-2", "us-west-2"
    cfn = lab.client("cloudformation", seoul)
    return {
        "queues": lab.client("sqs", seoul).list_queues().get("QueueUrls", []),
        "tables": lab.client("dynamodb", seoul).list_tables()["TableNames"],
        "stacks": [s["StackName"] for s in cfn.list_stacks()["StackSummaries"] if s["StackStatus"] != "DELETE_COMPLETE"],
        "buckets": [b["Name"] for b in lab.client("s3", seoul).list_buckets()["Buckets"]],
        "parameters": [p["Name"] for p in lab.client("ssm", seoul).describe_parameters()["Parameters"]],
        "repositories": [r["repositoryName"] for r in lab.client("ecr", seoul).describe_repositories()["repositories"]],
        "roles": [r["RoleName"] for r in lab.client("iam", seoul).list_roles()["Roles"]],
        "subnets in us-west-2": sorted(s["SubnetId"] for s in lab.client("ec2", oregon).describe_subnets()["Subnets"]
                                       if not s["DefaultForAz"]),
    }


def stack_output(lab: Lab, stack: str, key: str) -> str:
    outputs = lab.client("cloudformation").describe_stacks(StackName=stack)["Stacks"][0].get("Outputs", [])
    return next(o["OutputValue"] for o in outputs if o["OutputKey"] == key)


def message_body(lab: Lab) -> str:
    """The message the page sends (the --message-body of its send-message command)."""
    for block in lab.ran:
        for command in commands(block.text, block.line):
            if command.words[:3] == ["aws", "sqs", "send-message"]:
                return command.words[command.words.index("--message-body") + 1]
    raise AssertionError("the lab sends no message")


def messages(lab: Lab) -> dict[str, str]:
    attributes = lab.client("sqs").get_queue_attributes(QueueUrl=lab.variables["QUEUE_URL"], AttributeNames=["All"])
    return {k: v for k, v in attributes["Attributes"].items() if k.startswith("ApproximateNumberOfMessages")}


def check_queue(lab: Lab):
    urls = lab.client("sqs").list_queues().get("QueueUrls", [])
    assert [u.rsplit("/", 1)[-1] for u in urls] == ["orders"], f"after step 1 the queues are {urls}"


def check_deploy(lab: Lab):
    stack = lab.client("cloudformation").describe_stacks(StackName="orders")["Stacks"][0]
    assert stack["StackStatus"] in ("CREATE_COMPLETE", "UPDATE_COMPLETE"), stack["StackStatus"]
    table = stack_output(lab, "orders", "TableName")
    assert lab.client("dynamodb").list_tables()["TableNames"] == [table], "the stack's table does not exist"
    described = lab.client("dynamodb").describe_table(TableName=table)["Table"]
    assert described["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    # The CDK path: synthesized, and bootstrapped (CDKToolkit with its bucket) in the same account and Region.
    assert (lab.workdir / "cdk.out" / "orders.template.json").exists(), "cdk synth wrote no template"
    toolkit = lab.client("cloudformation").describe_stacks(StackName="CDKToolkit")["Stacks"][0]
    assert toolkit["StackStatus"] == "CREATE_COMPLETE", toolkit["StackStatus"]
    resources = lab.client("cloudformation").list_stack_resources(StackName="CDKToolkit")["StackResourceSummaries"]
    bucket = next(r["PhysicalResourceId"] for r in resources if r["LogicalResourceId"] == "StagingBucket")
    assert bucket in [b["Name"] for b in lab.client("s3").list_buckets()["Buckets"]], "the bootstrap bucket does not exist"


def check_outputs(lab: Lab):
    assert lab.variables.get("TABLE_NAME") == stack_output(lab, "orders", "TableName"), lab.variables
    url = lab.client("sqs").get_queue_url(QueueName="orders")["QueueUrl"]
    assert lab.variables.get("QUEUE_URL") == url and ACCOUNT_ID in url, (lab.variables, url)


def check_message(lab: Lab):
    assert messages(lab)["ApproximateNumberOfMessages"] == "1", messages(lab)


def check_consumer(lab: Lab):
    items = lab.client("dynamodb").scan(TableName=lab.variables["TABLE_NAME"])["Items"]
    assert [item["body"]["S"] for item in items] == [message_body(lab)], f"the table holds {items}"
    assert set(messages(lab).values()) == {"0"}, f"the message is still in the queue: {messages(lab)}"


def check_clean_up(lab: Lab):
    left = {kind: found for kind, found in snapshot(lab).items() if found}
    assert left == {}, f"after the clean-up blocks the local AWS still has: {left}"


# The effect each lab step must have, checked after the step's last block (steps are the lab's h3 ids).
EFFECTS = {
    "lab-queue": check_queue,
    "lab-deploy": check_deploy,
    "lab-outputs": check_outputs,
    "lab-message": check_message,
    "lab-consumer": check_consumer,
    "lab-clean-up": check_clean_up,
}


def run_page(page: Path, workdir: Path, env: dict[str, str], moto: Moto) -> Lab:
    """Saves the page's titled blocks in workdir and runs its other shell blocks there, in order, in one session."""
    lab = Lab(page, workdir, moto)
    workdir.mkdir(parents=True, exist_ok=True)
    page_blocks = blocks(page)
    for block in page_blocks:
        if block.title:
            (workdir / block.title).write_text(block.text, encoding="utf-8")
    shell = [b for b in page_blocks if b.is_shell and not b.title]
    session = Session(workdir, env, workdir.parent / f"{workdir.name}.trace")
    unset: set[str] = set()
    start = time.monotonic()
    cpu_start = cpu_of_children()
    try:
        for index, block in enumerate(shell):
            if reason := reason_not_to_run(block, unset):
                lab.not_run[block.where] = reason
                unset |= set(assigned(block))
            else:
                before = snapshot(lab) if block.section != "lab" else None
                started = time.monotonic()
                try:
                    lab.variables |= session.run(block.text, assigned(block))
                except AssertionError as error:
                    raise AssertionError(f"{block.where}: the block failed. {error}") from None
                lab.timings[block.where] = round(time.monotonic() - started, 1)
                unset -= set(assigned(block))
                lab.ran.append(block)
                if before is not None:
                    assert snapshot(lab) == before, f"{block.where}: a block outside the lab changed the local AWS"
            following = shell[index + 1] if index + 1 < len(shell) else None
            step = block.subsection
            step_ran = any(b.subsection == step for b in lab.ran)
            if step in EFFECTS and step_ran and (following is None or following.subsection != step):
                try:
                    EFFECTS[step](lab)
                except AssertionError as error:
                    raise AssertionError(f"{block.where} (#{step}): {error}\n{session.tail()}") from None
                lab.checked.append(step)
    finally:
        session.close()
        lab.seconds = time.monotonic() - start
        lab.cpu_seconds = cpu_of_children() - cpu_start
        lab.transcript = "\n".join(session.transcript)
        lab.trace = session.trace.read_text(encoding="utf-8")
    return lab


@pytest.fixture(scope="module")
def local_aws(tmp_path_factory):
    base = tmp_path_factory.mktemp("local-aws")
    proxy = RecordingProxy()
    moto = Moto(base / "moto.log")
    yield base, moto, proxy, environment(base / "home", moto, proxy)
    moto.close()
    proxy.close()


@pytest.fixture(scope="module")
def lab(local_aws):
    base, moto, proxy, env = local_aws
    try:
        return run_page(LAB_PAGE, base / "lab", env, moto)
    except AssertionError as error:
        raise AssertionError(f"{error}\nrequests for other hosts (through HTTP(S)_PROXY): {proxy.requests}") from None


def test_the_lab_runs_as_written_and_every_step_has_its_effect(lab):
    steps = [b.subsection for b in blocks(LAB_PAGE) if b.section == "lab" and b.subsection not in (None, SETUP)]
    assert set(steps) == set(EFFECTS), f"lab steps {sorted(set(steps))} vs the effects the test checks {sorted(EFFECTS)}"
    assert lab.checked == list(dict.fromkeys(steps)), f"effects checked: {lab.checked}"


def test_after_the_clean_up_nothing_is_left(lab):
    check_clean_up(lab)


def test_nothing_leaves_the_machine(lab, local_aws):
    _, _, proxy, _ = local_aws
    assert proxy.requests == [], f"requests for other hosts (through HTTP(S)_PROXY): {proxy.requests}"


def test_what_is_not_run_is_named_with_its_reason(lab):
    reasons = set(lab.not_run.values())
    setup = [b.where for b in blocks(LAB_PAGE) if b.subsection == SETUP and b.is_shell]
    assert setup and all(lab.not_run[w].startswith("set-up") for w in setup)
    assert {r for r in reasons if not r.startswith("set-up")} == {f"`cdk deploy`: {MOTO_CANNOT_RUN['cdk deploy']}"}, lab.not_run


def test_the_commands_as_run_name_no_other_account(lab):
    """An account id typed into a command fails here (moto itself ignores the account in an SQS queue URL)."""
    others = sorted({m[0] for m in re.finditer(r"(?<!\d)\d{12}(?!\d)", lab.trace)} - {ACCOUNT_ID})
    assert others == [], f"commands ran with account ids other than the one the credentials belong to: {others}"


def test_the_account_moto_plays_appears_nowhere_on_the_site():
    assert not [relative(p) for p in site_pages() if ACCOUNT_ID in p.read_text(encoding="utf-8")]


def template(path: Path) -> dict:
    """A CloudFormation template (JSON or YAML with short-form !Ref) as plain data."""
    loader = type("TemplateLoader", (yaml.SafeLoader,), {})
    loader.add_constructor("!Ref", lambda loader, node: {"Ref": loader.construct_scalar(node)})
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # a SafeLoader subclass


# What the CDK adds to a template that the hand-written one does not have: the bootstrap version check, and metadata.
CDK_ADDITIONS = {"Parameters": ["BootstrapVersion"], "Rules": ["CheckBootstrapVersion"]}


def comparable(data: dict) -> dict:
    """Resources keyed by type (logical ids differ), with references to them rewritten to the type; metadata dropped."""
    types = {name: r["Type"] for name, r in data["Resources"].items() if r["Type"] != "AWS::CDK::Metadata"}

    def rewrite(value):
        if isinstance(value, dict):
            return {k: (types.get(v, v) if k == "Ref" else rewrite(v)) for k, v in value.items()}
        return [rewrite(v) for v in value] if isinstance(value, list) else value

    resources = {types[name]: rewrite({k: v for k, v in r.items() if k != "Metadata"})
                 for name, r in data["Resources"].items() if name in types}
    assert len(resources) == len(types), "two resources of one type: compare them by hand"
    return {"Resources": resources, "Outputs": rewrite({k: {"Value": v["Value"]} for k, v in data.get("Outputs", {}).items()})}


def test_the_cdk_app_synthesizes_the_same_table_as_the_cloudformation_template(lab):
    cdk = template(lab.workdir / "cdk.out" / "orders.template.json")
    hand = template(lab.workdir / "orders.yaml")
    extra = {section: sorted(set(cdk.get(section, {})) - set(hand.get(section, {}))) for section in ("Parameters", "Rules", "Conditions")}
    assert {k: v for k, v in extra.items() if v} == CDK_ADDITIONS, f"the CDK template adds {extra}"
    assert [r["Type"] for r in cdk["Resources"].values() if r["Type"] not in (x["Type"] for x in hand["Resources"].values())] \
        == ["AWS::CDK::Metadata"]
    assert comparable(cdk) == comparable(hand), "the CDK template and orders.yaml differ (types, properties, policies, outputs)"


def test_both_templates_pass_cfn_lint(lab):
    files = [lab.workdir / "orders.yaml", lab.workdir / "cdk.out" / "orders.template.json"]
    result = subprocess.run([str(BIN / "cfn-lint"), "--regions", "ap-northeast-2", "--", *map(str, files)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_local_zone_example_runs_as_far_as_moto_can(local_aws, lab):
    base, moto, proxy, env = local_aws
    zones = run_page(LOCAL_ZONE_PAGE, base / "local-zones", env, moto)
    assert sorted(r.split(":", 1)[0] for r in zones.not_run.values()) == [
        "`aws ec2 create-subnet`", "`aws ec2 modify-availability-zone-group`",
        "uses $SUBNET_ID, which only a block that is not run sets"], zones.not_run
    ec2 = zones.client("ec2", "us-west-2")
    default = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]
    assert zones.variables.get("VPC_ID") == default["VpcId"], zones.variables
    taken = [ipaddress.ip_network(s["CidrBlock"]) for s in ec2.describe_subnets(
        Filters=[{"Name": "vpc-id", "Values": [default["VpcId"]]}])["Subnets"]]
    chosen = [ipaddress.ip_network(c.words[c.words.index("--cidr-block") + 1]) for b in blocks(LOCAL_ZONE_PAGE) if b.is_shell
              for c in commands(b.text, b.line) if c.words[:3] == ["aws", "ec2", "create-subnet"]]
    assert chosen and all(c.subnet_of(ipaddress.ip_network(default["CidrBlock"])) for c in chosen)
    assert not [(c, t) for c in chosen for t in taken if c.overlaps(t)], f"{chosen} overlaps the VPC's subnets {taken}"
    assert proxy.requests == []


def test_report_the_lab_time(lab, record_property):
    record_property("lab_seconds", round(lab.seconds, 1))
    record_property("lab_cpu_seconds", round(lab.cpu_seconds, 1))
    print(f"\nlab: {len(lab.ran)} blocks run in {lab.seconds:.1f} s (CPU {lab.cpu_seconds:.1f} s of the session's processes); "
          f"per block: {json.dumps(lab.timings)}; not run: {json.dumps(lab.not_run, ensure_ascii=False)}")
