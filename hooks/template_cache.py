"""Compiled templates: the theme's Jinja templates, compiled once and kept between builds (a build compiles about 40 of them
in each language otherwise: 0.2 to 0.3 s of a 2 s build's CPU); cached."""

from __future__ import annotations

import hashlib
import logging
import os
import sys
from importlib import metadata
from types import CodeType

import jinja2
from mkdocs.exceptions import PluginError

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import cache_entries  # noqa: E402  (scripts/cache_entries.py: entries written atomically, checked when read)

# Shared by the tests' temporary copies of the project (tests/conftest.py sets it); outside every watched folder.
CACHE = os.environ.get("TEMPLATE_CACHE") or os.path.join(ROOT, ".cache", "templates")
log = logging.getLogger("mkdocs.hooks.template_cache")


def _refiled(code: CodeType, filename: str) -> CodeType:
    """The compiled template as if compiled from `filename` (an entry is shared by every copy of the same source)."""
    consts = tuple(_refiled(c, filename) if isinstance(c, CodeType) else c for c in code.co_consts)
    return code.replace(co_filename=filename, co_consts=consts)


# What compiling depends on besides the source: Jinja's syntax and code generation settings (jinja2.Environment's)
COMPILER_SETTINGS = ("block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
                     "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
                     "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "optimized", "is_async")


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return ""


def compiler(environment) -> str:
    """Jinja's, MkDocs' (or ProperDocs') and Material's versions (filters with constant arguments run while compiling), the
    environment's settings and extensions, whether it escapes, and each filter's, test's and finalize's calling convention."""
    settings = [getattr(environment, name) for name in COMPILER_SETTINGS]
    calls = [sorted((name, str(getattr(f, "jinja_pass_arg", ""))) for name, f in functions.items())
             for functions in (environment.filters, environment.tests)]
    versions = [jinja2.__version__, *map(_version, ("mkdocs", "properdocs", "mkdocs-material"))]
    return repr([versions, settings, sorted(environment.extensions), environment.autoescape is True,
                 callable(environment.autoescape),
                 str(getattr(environment.finalize, "jinja_pass_arg", environment.finalize is not None)),
                 calls])


def entry_name(name: str, source: str, compiled_by: str) -> str:
    return hashlib.sha256(f"{name}\0{source}\0{compiled_by}".encode()).hexdigest() + ".jinja"


class TemplateCache(jinja2.BytecodeCache):
    """One entry per template name, source and compiler: Jinja's bytecode behind its SHA-256 (a damaged entry is compiled
    again)."""

    compiled_by = ""  # compiler(environment), worked out on the first template (one cache per environment: on_env)

    def get_bucket(self, environment, name, filename, source):
        self.compiled_by = self.compiled_by or compiler(environment)
        key = entry_name(name, source, self.compiled_by)
        bucket = jinja2.bccache.Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        if bucket.code is not None and filename:
            bucket.code = _refiled(bucket.code, filename)
        return bucket

    def load_bytecode(self, bucket):
        path = os.path.join(CACHE, bucket.key)
        payload, problem = cache_entries.read_sealed(path)
        if problem:
            log.info("Cache entry %s (a compiled template) is damaged, %s: compiling it again", path, problem)
        elif payload is not None:
            bucket.bytecode_from_string(payload)  # Jinja itself rejects another Jinja's or Python's bytecode

    def dump_bytecode(self, bucket):
        try:
            cache_entries.write(os.path.join(CACHE, bucket.key), cache_entries.sealed(bucket.bytecode_to_string()),
                                setting="TEMPLATE_CACHE")
        except cache_entries.CacheError as error:
            raise PluginError(str(error)) from None


def on_env(env, config, files, **kwargs):
    env.bytecode_cache = TemplateCache()
    return env
