"""Compiled templates: the theme's Jinja templates, compiled once and kept between builds (a build compiles about 40 of them
in each language otherwise: 0.2 to 0.3 s of a 2 s build's CPU); cached."""

from __future__ import annotations

import hashlib
import logging
import os
import sys
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


def entry_name(name: str, source: str) -> str:
    return hashlib.sha256(f"{name}\0{source}".encode()).hexdigest() + ".jinja"


class TemplateCache(jinja2.BytecodeCache):
    """One entry per template name and source: Jinja's bytecode behind its SHA-256, so a damaged entry is compiled again."""

    def get_bucket(self, environment, name, filename, source):
        key = entry_name(name, source)
        bucket = jinja2.bccache.Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        if bucket.code is not None and filename:
            bucket.code = _refiled(bucket.code, filename)
        return bucket

    def load_bytecode(self, bucket):
        path = os.path.join(CACHE, bucket.key)
        data = cache_entries.read(path)
        if data is None:
            return
        payload, problem = cache_entries.sealed_problem(data)
        if problem:
            log.info("Cache entry %s (a compiled template) is damaged, %s: compiling it again", path, problem)
            return
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
