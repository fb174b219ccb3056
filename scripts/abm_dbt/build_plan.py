"""Which nodes a daily build must run: those whose inputs changed since they were last built.

Every model, seed, snapshot and data test gets a fingerprint: a hash of its own code and config, the
macros it calls (transitively), the fingerprints of the nodes it reads, and — for the raw sources — the
content of the raw file. A node that reads as_of_date (through the macros `as_of_date*` or the var,
named in quotes: `var('as_of_date')`) also hashes that date. Anything else a build depends on (the versions of dbt, the adapter, DuckDB and
the libraries the Python models use, dbt_project.yml, profiles.yml, the Python UDFs and loader, the
vars given on the command line, macros no node names such as hooks and dispatch implementations) goes
into one salt that every fingerprint carries: change it and everything runs.

After a successful build the fingerprints of the nodes it ran are stored in the warehouse itself
(FINGERPRINT_TABLE), so they always describe the tables beside them. A node runs again when its
fingerprint differs from the stored one, when none is stored, or when its table is missing (then its
descendants run too). The on-run-start hook `forget_fingerprints_of_selected` deletes the stored
fingerprint of every node any dbt command selects, so a build outside this plan (a plain `dbt build`
on other files) can never leave a fingerprint that no longer describes its table.

Appending models (config meta `appends_from`: the parents whose new rows they add; macros/appending.sql)
also get an append base: their fingerprint with the followed parents' data left out (their code kept).
When a stale appending model's base equals the stored one and its followed parents were added to, not
built anew, the plan lists it as appending: the build adds the recent rows only. Otherwise it is
rebuilt whole. The evaluated funnel and phases use the same list to carry the stored state of accounts
whose inputs (the followed parents' rows, compared per account) did not change
(macros/funnel/carried_states.sql).

Pure functions over dbt's manifest.json; `scripts/build_changed.py` runs them around `dbt build`.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from importlib import metadata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from abm_dbt.raw_loader import find_raw_file

FINGERPRINT_SCHEMA = "abm_build"
FINGERPRINT_TABLE = f"{FINGERPRINT_SCHEMA}.node_fingerprints"
BUILT_KINDS = ("model", "seed", "snapshot", "test")
# the macros through which SQL reads as_of_date (macros/as_of_date.sql)
AS_OF_MACROS = frozenset({"macro.abm_analytics.as_of_date", "macro.abm_analytics.as_of_date_string",
                          "macro.abm_analytics.as_of_cutoff_timestamp"})
# the var read directly (var('as_of_date'), config.get("as_of_date")): a quoted name, not a column
# such as is_as_of_date or a comment that mentions the day
READS_AS_OF = re.compile(r"""['"]as_of_date['"]""")
LOADER_FILES = ("raw_loader.py", "contract.py")
# libraries whose version can change a table: the engine, and what the Python models and UDFs compute with
LIBRARIES = ("dbt-core", "dbt-duckdb", "duckdb", "numpy", "scipy", "scikit-learn", "pandas", "pyarrow")
PACKAGE = Path(__file__).resolve().parent
# an appending model (macros/appending.sql) names in config meta the parents whose new rows it adds
APPENDS_FROM = "appends_from"
# … and, with this meta flag set, that it hashes per row what as_of_date makes of its inputs (the
# figures of its windows as of the day), so a new day is a change in those inputs, not in its code
DAY_IN_FINGERPRINT = "day_in_fingerprint"
# its append base is stored beside its fingerprint, under its unique_id with this suffix
APPEND_BASE_SUFFIX = "|append_base"
# the stale appending models this build may run by adding rows; written just before dbt starts
APPENDING_TABLE = f"{FINGERPRINT_SCHEMA}.appending_nodes"
# the days an appending evaluated model may write in the build under way (macro record_evaluated_days)
EVALUATED_DAYS_TABLE = f"{FINGERPRINT_SCHEMA}.evaluated_days"


def sha256_text(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def loader_version() -> str:
    """The code that turns a raw file into a raw table: a new version lands every file again."""
    return sha256_text(*(file_sha256(PACKAGE / name) for name in LOADER_FILES))


def raw_file_digest(raw_dir: Path, table: str) -> str:
    """What the landed raw table `table` holds, as a hash: the file's bytes and suffix and the loader's
    version; 'absent' for an optional table without a file (it lands as zero rows)."""
    path = find_raw_file(raw_dir, table)
    if path is None:
        return sha256_text("absent", loader_version())
    return sha256_text(path.suffix, file_sha256(path), loader_version())


def raw_file_landing_key(raw_dir: Path, table: str) -> str:
    """When the landing hook must read a raw file again: its content digest and its modification time.
    The time matters to the landed table (its _loaded_at, which `dbt source freshness` reads, is when the
    export was written), not to the tables built from it: those follow raw_file_digest alone."""
    path = find_raw_file(raw_dir, table)
    written = str(path.stat().st_mtime_ns) if path is not None else "absent"
    return sha256_text(raw_file_digest(raw_dir, table), written)


def source_digests(manifest: Mapping[str, Any], raw_dir: Path) -> dict[str, str]:
    """Fingerprints of the sources models read (source `raw`). Files mode (the loader source
    `raw_files` is enabled): the raw file's content. Tables mode: unknown, so a new value every run."""
    sources = manifest["sources"].values()
    if not any(node["source_name"] == "raw_files" for node in sources):
        return {node["unique_id"]: uuid.uuid4().hex for node in sources}
    # sources raw and raw_files name the same files: each file is read once
    digests = {name: raw_file_digest(raw_dir, name) for name in {node["name"] for node in sources}}
    return {node["unique_id"]: digests[node["name"]] for node in sources}


def library_versions() -> str:
    found = []
    for name in LIBRARIES:
        try:
            found.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} absent")
    return ",".join(found)


def macro_closure(manifest: Mapping[str, Any], names: Iterable[str]) -> set[str]:
    """The macros given and every macro they call."""
    macros, seen, stack = manifest["macros"], set(), list(names)
    while stack:
        name = stack.pop()
        if name in seen or name not in macros:
            continue
        seen.add(name)
        stack.extend(macros[name]["depends_on"]["macros"])
    return seen


def macro_text(manifest: Mapping[str, Any], names: Iterable[str]) -> str:
    macros = manifest["macros"]
    return "".join(f"{name}\x00{macros[name]['macro_sql']}\x00" for name in sorted(names) if name in macros)


def unnamed_project_macros(manifest: Mapping[str, Any]) -> set[str]:
    """Macros of this project that no node calls: hooks, dispatch implementations, schema naming."""
    called: set[str] = set()
    for node in manifest["nodes"].values():
        called |= macro_closure(manifest, node.get("depends_on", {}).get("macros", []))
    project = manifest["metadata"]["project_name"]
    return {name for name, macro in manifest["macros"].items()
            if macro["package_name"] == project and name not in called}


def build_salt(manifest: Mapping[str, Any], root: Path, cli_vars: Mapping[str, Any]) -> str:
    """What every node depends on but its own fingerprint does not show."""
    files = [root / "dbt_project.yml", root / "profiles.yml", *sorted(PACKAGE.glob("*.py")),
             *sorted((root / "seeds").glob("company_name_folds.csv"))]
    other_vars = {name: value for name, value in cli_vars.items() if name != "as_of_date"}
    return sha256_text(
        manifest["metadata"]["dbt_version"], manifest["metadata"].get("adapter_type") or "", library_versions(),
        json.dumps(other_vars, sort_keys=True, default=str),
        *(f"{path.name}:{file_sha256(path)}" for path in files if path.exists()),
        macro_text(manifest, unnamed_project_macros(manifest)),
    )


def built_nodes(manifest: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {uid: node for uid, node in manifest["nodes"].items() if node["resource_type"] in BUILT_KINDS}


def node_digest(manifest: Mapping[str, Any], uid: str, node: Mapping[str, Any], salt: str, as_of: str,
                parents: Iterable[str]) -> str:
    """A node's own code, config and macros (transitively), as_of where it reads it, and the given
    fingerprints of its parents (in the order of their unique ids)."""
    macros = macro_closure(manifest, node.get("depends_on", {}).get("macros", []))
    reads_as_of = bool(macros & AS_OF_MACROS) or bool(READS_AS_OF.search(node.get("raw_code", "")))
    return sha256_text(
        salt, uid, node.get("checksum", {}).get("checksum", ""),
        json.dumps(node.get("config", {}), sort_keys=True, default=str),
        macro_text(manifest, macros), as_of if reads_as_of else "", *parents,
    )


def node_fingerprints(manifest: Mapping[str, Any], sources: Mapping[str, str], as_of: str,
                      salt: str) -> dict[str, str]:
    """unique_id -> fingerprint for every model, seed, snapshot and data test (unit tests excluded)."""
    nodes = built_nodes(manifest)
    done: dict[str, str] = dict(sources)

    def fingerprint(uid: str) -> str:
        if uid in done:
            return done[uid]
        node = nodes.get(uid)
        if node is None:  # a disabled or unknown parent: unknowable, so always new
            done[uid] = uuid.uuid4().hex
            return done[uid]
        parents = [fingerprint(parent) for parent in sorted(node.get("depends_on", {}).get("nodes", []))]
        done[uid] = node_digest(manifest, uid, node, salt, as_of, parents)
        return done[uid]

    # parents before children, without deep recursion on long chains
    for uid in topological(nodes):
        fingerprint(uid)
    return {uid: done[uid] for uid in nodes}


def code_fingerprints(manifest: Mapping[str, Any], salt: str) -> dict[str, str]:
    """Fingerprints of code alone: every raw file and as_of_date taken as fixed. Two equal code
    fingerprints mean the same transformation, whatever data it was given."""
    sources = {parent for node in built_nodes(manifest).values()
               for parent in node.get("depends_on", {}).get("nodes", []) if parent.startswith("source.")}
    return node_fingerprints(manifest, {uid: "data" for uid in sources | set(manifest["sources"])}, "", salt)


def followed_parents(manifest: Mapping[str, Any], uid: str) -> list[str]:
    """The parents an appending model (config meta APPENDS_FROM: model names) adds the new rows of."""
    node = manifest["nodes"][uid]
    names = node.get("config", {}).get("meta", {}).get(APPENDS_FROM) or []
    parents = {manifest["nodes"][parent]["name"]: parent for parent in node.get("depends_on", {}).get("nodes", [])
               if parent in manifest["nodes"]}
    unknown = sorted(set(names) - set(parents))
    if unknown:
        raise ValueError(f"{uid}: meta {APPENDS_FROM} names {unknown}, which it does not read")
    return [parents[name] for name in names]


def append_bases(manifest: Mapping[str, Any], fingerprints: Mapping[str, str], salt: str,
                 as_of: str) -> dict[str, str]:
    """For each appending model: its fingerprint with the followed parents' data left out (their code
    fingerprints instead). While it stays the same, everything the model's stored rows were made from
    is unchanged except the rows the followed parents added, so adding those rows is the whole build."""
    code = code_fingerprints(manifest, salt)
    bases = {}
    for uid, node in built_nodes(manifest).items():
        followed = set(followed_parents(manifest, uid))
        if not followed:
            continue
        parents = [code[parent] if parent in followed else fingerprints.get(parent, uuid.uuid4().hex)
                   for parent in sorted(node.get("depends_on", {}).get("nodes", []))]
        # a model that hashes per row what as_of_date makes of its inputs (meta DAY_IN_FINGERPRINT) sees
        # a new day as changed data, which it compares itself: its base leaves the day out
        day = "" if node.get("config", {}).get("meta", {}).get(DAY_IN_FINGERPRINT) else as_of
        bases[uid] = node_digest(manifest, uid, node, salt, day, parents)
    return bases


def topological(nodes: Mapping[str, Mapping[str, Any]]) -> list[str]:
    order: list[str] = []
    seen: set[str] = set()
    for start in sorted(nodes):
        stack = [(start, False)]
        while stack:
            uid, expanded = stack.pop()
            if expanded:
                order.append(uid)
                continue
            if uid in seen or uid not in nodes:
                continue
            seen.add(uid)
            stack.append((uid, True))
            stack.extend((parent, False) for parent in nodes[uid].get("depends_on", {}).get("nodes", []))
    return order


def descendants(manifest: Mapping[str, Any], roots: Iterable[str]) -> set[str]:
    children, found, stack = manifest["child_map"], set(), list(roots)
    while stack:
        uid = stack.pop()
        for child in children.get(uid, []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


@dataclass(frozen=True)
class Plan:
    fingerprints: dict[str, str]
    stale: frozenset[str]
    reasons: dict[str, str]  # uid -> new | changed | missing table | below a missing table
    bases: dict[str, str] = field(default_factory=dict)  # appending model -> append base
    appending: frozenset[str] = frozenset()  # stale appending models that may add rows only

    def selection(self, manifest: Mapping[str, Any]) -> list[str]:
        """dbt --select arguments: the stale nodes by name, in a stable order. Data tests are named too:
        a test whose own SQL reads as_of_date (or changed) runs although its parents are unchanged."""
        nodes = manifest["nodes"]
        return sorted(nodes[uid]["name"] for uid in self.stale)

    def counts(self) -> dict[str, int]:
        counted: dict[str, int] = {}
        for reason in self.reasons.values():
            counted[reason] = counted.get(reason, 0) + 1
        return counted


def existing_relations(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    rows = con.execute("select schema_name, table_name from duckdb_tables() "
                       "union all select schema_name, view_name from duckdb_views() where not internal").fetchall()
    return {(schema.lower(), name.lower()) for schema, name in rows}


def stored_fingerprints(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    found = con.execute("select count(*) from duckdb_tables() where schema_name = ? and table_name = ?",
                        FINGERPRINT_TABLE.split(".")).fetchall()[0][0]
    if not found:
        return {}
    return dict(con.execute(f"select unique_id, fingerprint from {FINGERPRINT_TABLE}").fetchall())


def plan(manifest: Mapping[str, Any], fingerprints: Mapping[str, str], stored: Mapping[str, str],
         relations: set[tuple[str, str]], bases: Mapping[str, str] | None = None) -> Plan:
    nodes = manifest["nodes"]
    reasons: dict[str, str] = {}
    missing: list[str] = []
    # nodes whose table is not in the warehouse, whatever else made them stale: built from scratch
    absent: set[str] = set()
    for uid, fingerprint in fingerprints.items():
        node = nodes[uid]
        materialized = node.get("config", {}).get("materialized")
        has_relation = node["resource_type"] != "test" and materialized != "ephemeral"
        if has_relation and (node["schema"].lower(), (node.get("alias") or node["name"]).lower()) not in relations:
            absent.add(uid)
        if uid not in stored:
            reasons[uid] = "new"
        elif stored[uid] != fingerprint:
            reasons[uid] = "changed"
        elif uid in absent:
            reasons[uid] = "missing table"
            missing.append(uid)
    for uid in descendants(manifest, missing):
        if uid in fingerprints:
            reasons.setdefault(uid, "below a missing table")
    bases = dict(bases or {})
    # adding rows is enough only for a model that changed while its append base did not, whose table
    # is there, and whose followed parents were themselves added to (or unchanged), not built anew
    appending = frozenset(
        uid for uid, base in bases.items()
        if reasons.get(uid) == "changed" and uid not in absent and stored.get(uid + APPEND_BASE_SUFFIX) == base
        and all(reasons.get(parent, "changed") == "changed" and parent not in absent
                for parent in followed_parents(manifest, uid))
    )
    return Plan(dict(fingerprints), frozenset(reasons), reasons, bases, appending)


def store_fingerprints(con: duckdb.DuckDBPyConnection, fingerprints: Mapping[str, str],
                       built: Iterable[str], bases: Mapping[str, str] | None = None) -> int:
    """Record the fingerprints (and append bases) of the nodes a successful build ran; returns how many."""
    built = sorted(set(built))
    rows = [(uid, fingerprints[uid]) for uid in built if uid in fingerprints]
    rows += [(uid + APPEND_BASE_SUFFIX, (bases or {})[uid]) for uid in built if uid in (bases or {})]
    con.execute(f"create schema if not exists {FINGERPRINT_SCHEMA}")
    con.execute(f"create table if not exists {FINGERPRINT_TABLE} "
                "(unique_id varchar primary key, fingerprint varchar not null, built_at timestamp)")
    if rows:
        con.executemany(f"insert or replace into {FINGERPRINT_TABLE} values (?, ?, current_timestamp)", rows)
    return len(rows)


def write_appending(con: duckdb.DuckDBPyConnection, appending: Iterable[str]) -> None:
    """Tell the models (macro abm_appending) which of them may add rows in the build about to start."""
    con.execute(f"create schema if not exists {FINGERPRINT_SCHEMA}")
    con.execute(f"create or replace table {APPENDING_TABLE} (unique_id varchar primary key)")
    rows = [(uid,) for uid in sorted(appending)]
    if rows:
        con.executemany(f"insert into {APPENDING_TABLE} values (?)", rows)


def clear_appending(con: duckdb.DuckDBPyConnection) -> None:
    """After the build, whatever its outcome: a later dbt command outside the plan rebuilds whole, and the
    days the appending models recorded for their key tests (macro record_evaluated_days) go with it."""
    con.execute(f"drop table if exists {APPENDING_TABLE}")
    con.execute(f"drop table if exists {EVALUATED_DAYS_TABLE}")
