"""Checks `aws` commands against botocore's service and waiter models (pinned with boto3) and the sourced table of the CLI's
own commands (tests/aws_cli_commands.yml), and `cdk` commands against the pinned CDK CLI's own registry of commands."""

from __future__ import annotations

import difflib
import json
import re
from functools import cache
from pathlib import Path

import botocore.session
import yaml
from botocore import xform_name

ROOT = Path(__file__).resolve().parents[1]
TABLE = yaml.safe_load((ROOT / "tests" / "aws_cli_commands.yml").read_text(encoding="utf-8"))
CLI_SERVICE_NAMES = {"s3api": "s3", "configservice": "config"}  # the CLI's command name -> botocore's service name
INPUT_OPTIONS = {"--cli-input-json": "value", "--cli-input-yaml": "value", "--generate-cli-skeleton": "value"}
PAGINATION_OPTIONS = {"--starting-token": "value", "--page-size": "value", "--max-items": "value"}
UNKNOWN = re.compile(r"\$|__SUBSTITUTION__")  # a value the shell fills in: not checked against enums


@cache
def session():
    return botocore.session.get_session()


@cache
def v1_global_options() -> dict[str, dict]:
    """The installed AWS CLI v1's global options (awscli/data/cli.json): --name -> its definition."""
    import awscli

    data = json.loads((Path(awscli.__file__).parent / "data" / "cli.json").read_text(encoding="utf-8"))
    return {f"--{name}": spec for name, spec in data["options"].items()}


def global_options(version: int) -> dict[str, str]:
    """The global options of a CLI major version: --name -> "flag" or "value"."""
    options = {name: ("flag" if spec.get("action") in ("store_true", "store_false", "version") else "value")
               for name, spec in v1_global_options().items()}
    for name, entry in TABLE["global_options"].items():
        if version in entry["versions"]:
            options[name] = entry["kind"]
        else:
            options.pop(name, None)
    return options


def output_values(version: int) -> list[str]:
    return v1_global_options()["--output"]["choices"] if version == 1 else TABLE["output_v2"]


def _member_options(shape) -> dict[str, tuple[str, object]]:
    """--option -> (kind, member shape) for each member of an operation's input; booleans also as --no-option."""
    options = {}
    for name, member in shape.members.items() if shape else []:
        option = "--" + xform_name(name, "-")
        if member.type_name == "boolean":
            options[option] = ("flag", member)
            options["--no-" + option[2:]] = ("flag", member)
        else:
            options[option] = ("values" if member.type_name in ("list", "map", "structure") else "value", member)
    return options


def _paginated(service: str, operation: str) -> bool:
    """Whether the CLI pages through this operation's results (it then adds --starting-token and friends)."""
    try:
        session().get_paginator_model(service).get_paginator(operation)
    except Exception:  # no paginator model for the service, or none for the operation
        return False
    return True


def _split_options(words: list[str]) -> tuple[list[str], dict[str, list[str]], list[str]]:
    """Positional words, then each --option with the words after it up to the next option, and repeated options."""
    positional, options, repeated, current = [], {}, [], None
    for word in words:
        if word.startswith("--"):
            name, _, value = word.partition("=")
            if name in options:
                repeated.append(name)
            options[name] = [value] if value else []
            current = name
        elif current:
            options[current].append(word)
        else:
            positional.append(word)
    return positional, options, repeated


def _suggest(name: str, known) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean {close[0]}?)" if close else ""


def _check_arity(name: str, values: list[str], kind: str) -> list[str]:
    if kind == "flag" and values:
        return [f"{name} takes no value, got {values}"]
    if kind == "value" and len(values) != 1:
        return [f"{name} takes one value, got {len(values)}"]
    if kind == "values" and not values:
        return [f"{name} needs a value"]
    return []


def check_aws(words: list[str], *, version: int, full: bool = True) -> list[str]:
    """Problems with one `aws …` command (words after `aws`) for a CLI major version. `full`: a command to run (its
    arguments and required members are checked), not a command named in the prose."""
    versions = [version]
    globals_any = {**global_options(1), **global_options(2)}
    # Global options may come before the command: take them off first.
    words, leading = list(words), []
    while words and words[0].startswith("--"):
        word = words.pop(0)
        name = word.partition("=")[0]
        leading.append(name)
        if globals_any.get(name) == "value" and "=" not in word and words:
            words.pop(0)
    if not words:
        return [] if leading in (["--version"], ["--help"]) else ["no command after the global options"]
    problems = []
    service, rest = words[0], words[1:]
    entry, command_words = None, []
    for length in (2, 1):
        name = " ".join(words[:length])
        if name in TABLE["commands"]:
            entry, command_words, rest = TABLE["commands"][name], words[:length], words[length:]
            break
    positional, options, repeated = _split_options(rest)
    problems += [f"{name} is given twice" for name in repeated]
    for v in versions:
        problems += [f"{name} is not a global option of CLI version {v}" for name in leading if name not in global_options(v)]
    if entry is not None:
        missing_versions = [v for v in versions if v not in entry["versions"]]
        if missing_versions:
            problems.append(f"`aws {' '.join(command_words)}` is not in CLI version {version} ({entry['source']})")
        allowed = entry.get("options", {})
        if full and len(positional) != entry.get("positional", 0):
            problems.append(f"`aws {' '.join(command_words)}` takes {entry.get('positional', 0)} argument(s), got {positional}")
        if full:
            problems += [f"missing required option {name}" for name in entry.get("required", []) if name not in options]
    else:
        botocore_name = CLI_SERVICE_NAMES.get(service, service)
        if botocore_name not in session().get_available_services():
            return [f"`{service}` is not an AWS CLI command or service{_suggest(botocore_name, session().get_available_services())}"]
        model = session().get_service_model(botocore_name)
        if not positional:
            return [f"`aws {service}` needs an operation"]
        operation_name = positional[0]
        operations = {xform_name(op, "-"): op for op in model.operation_names}
        if operation_name == "wait":
            waiters = session().get_waiter_model(botocore_name)
            names = {xform_name(w, "-"): w for w in waiters.waiter_names}
            if len(positional) < 2 or positional[1] not in names:
                waiter = positional[1] if len(positional) > 1 else ""
                return [f"`aws {service} wait {waiter}` is not a waiter of {botocore_name}{_suggest(waiter, names)}"]
            operation = model.operation_model(waiters.get_waiter(names[positional[1]]).operation)
            extra_positional = positional[2:]
        elif operation_name in operations:
            operation = model.operation_model(operations[operation_name])
            extra_positional = positional[1:]
        else:
            return [f"`{operation_name}` is not an operation of {service}{_suggest(operation_name, operations)}"]
        if extra_positional:
            problems.append(f"unexpected arguments {extra_positional}")
        members = _member_options(operation.input_shape)
        allowed = {name: kind for name, (kind, _) in members.items()} | INPUT_OPTIONS
        if _paginated(botocore_name, operation.name):
            allowed |= PAGINATION_OPTIONS
        if full and "--cli-input-json" not in options and "--cli-input-yaml" not in options:
            required = operation.input_shape.required_members if operation.input_shape else []
            problems += [f"missing required option --{xform_name(m, '-')} ({operation.name})"
                         for m in required if f"--{xform_name(m, '-')}" not in options]
        for name, values in options.items():
            if name in members and (enum := getattr(members[name][1], "enum", None)) and values and not UNKNOWN.search(values[0]):
                problems += [f"{name} {value!r} is not one of {enum}" for value in values if value not in enum]
    for name, values in options.items():
        for v in versions:
            if name in global_options(v):
                problems += _check_arity(name, values, global_options(v)[name])
                if name == "--output" and values and values[0] not in output_values(v):
                    problems.append(f"--output {values[0]!r} is not an output format of CLI version {v}")
                if name == "--region" and values and not UNKNOWN.search(values[0]) \
                        and values[0] not in session().get_available_regions("ec2"):
                    problems.append(f"--region {values[0]!r} is not a Region botocore knows")
        if all(name not in global_options(v) for v in versions):
            if name in allowed:
                problems += _check_arity(name, values, allowed[name])
            else:
                problems.append(f"{name} is not an option of `aws {' '.join(words[:2])}` nor a global option of CLI version "
                                f"{version}{_suggest(name, [o for o in list(allowed) + list(globals_any) if o != name])}")
    return sorted(set(problems), key=problems.index)


@cache
def cdk_registry() -> dict:
    """The pinned CDK CLI's own description of its commands and options (node_modules/aws-cdk)."""
    path = ROOT / "node_modules" / "aws-cdk" / "lib" / "cli" / "cli-type-registry.json"
    return json.loads(path.read_text(encoding="utf-8"))


def check_cdk(words: list[str]) -> list[str]:
    """Problems with one `cdk …` command (words after `cdk`) against the pinned CDK CLI's registry."""
    registry = cdk_registry()
    commands = dict(registry["commands"])
    for spec in list(commands.values()):
        for alias in spec.get("aliases", []):
            commands[alias] = spec
    positional, options, _ = _split_options(words)
    if not positional or positional[0] not in commands:
        given = positional[0] if positional else ""
        return [f"`cdk {given}` is not a CDK CLI command{_suggest(given, commands)}"]
    spec = commands[positional[0]]
    known = {**registry["globalOptions"], **spec.get("options", {})}
    names = {}
    for name, option in known.items():
        for spelled in [name, *([option["alias"]] if isinstance(option.get("alias"), str) else option.get("alias", []))]:
            names["--" + spelled] = option
            if option.get("type") == "boolean":
                names["--no-" + spelled] = option
    problems = []
    if len(positional) > 1 and not spec.get("arg"):
        problems.append(f"`cdk {positional[0]}` takes no arguments, got {positional[1:]}")
    for name, values in options.items():
        if name not in names:
            problems.append(f"{name} is not an option of `cdk {positional[0]}`{_suggest(name, names)}")
        elif (choices := names[name].get("choices")) and values and values[0] not in choices:
            problems.append(f"{name} {values[0]!r} is not one of {choices}")
        elif names[name].get("type") == "boolean" and values and values[0] not in ("true", "false"):
            problems.append(f"{name} takes no value, got {values}")
    return problems
