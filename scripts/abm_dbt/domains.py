"""Registrable domains from the Public Suffix List (publicsuffixlist, pinned; its list ships inside
the package, so nothing is downloaded at run time).

The registrable domain is the public suffix plus one label: recruit.mirax.co.jp → mirax.co.jp,
aoba-seimitsu.tokyo.jp stays itself (tokyo.jp is a suffix), a.b.kawasaki.jp stays itself (*.kawasaki.jp),
foo.github.io stays itself (the list's private section: each github.io site has its own owner). A host
that is itself a public suffix (co.jp) has none. Registered as a DuckDB function by the plugin.
"""

from __future__ import annotations

from functools import lru_cache

import pyarrow as pa
from publicsuffixlist import PublicSuffixList

_LIST = PublicSuffixList()


@lru_cache(maxsize=200_000)
def registrable_domain(host: str | None) -> str | None:
    """The registrable domain of a lower-case host, or None (no host, no dot, or a public suffix)."""
    if not host or "." not in host:
        return None
    return _LIST.privatesuffix(host)


def registrable_domain_arrow(hosts: pa.Array) -> pa.Array:
    return pa.array([registrable_domain(h) for h in hosts.to_pylist()], type=pa.string())
