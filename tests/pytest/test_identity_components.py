"""Connected components of identity links (the dbt Python model int_company_records_connected),
tested as a function: no dbt run needed."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path
from types import ModuleType

import pyarrow as pa

MODEL = Path(__file__).resolve().parents[2] / "models/intermediate/identity/int_company_records_connected.py"


def load_model() -> ModuleType:
    spec = importlib.util.spec_from_file_location("int_company_records_connected", MODEL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def components(records: list[str], links: list[tuple[str, str]]) -> dict[str, str]:
    table = load_model().connected_components(
        pa.array(records, pa.string()),
        pa.array([a for a, _ in links], pa.string()),
        pa.array([b for _, b in links], pa.string()),
    )
    return dict(zip(table.column("record_key").to_pylist(), table.column("component_key").to_pylist()))


def test_a_long_chain_is_one_component_named_by_its_smallest_key() -> None:
    chain = ["f", "e", "d", "c", "b", "a"]
    result = components(chain, list(zip(chain, chain[1:])))
    assert result == {key: "a" for key in chain}


def test_unlinked_records_are_their_own_component() -> None:
    assert components(["x", "y", "z"], [("x", "y")]) == {"x": "x", "y": "x", "z": "z"}


def test_links_to_unknown_records_are_ignored_and_duplicates_harmless() -> None:
    links = [("b", "a"), ("b", "a"), ("a", "b"), ("c", "ghost")] + [("d", "c")] * 300
    assert components(["a", "b", "c", "d"], links) == {"a": "a", "b": "a", "c": "c", "d": "c"}


def test_japanese_and_mixed_keys_use_code_point_order() -> None:
    result = components(["contacts:sansan:名刺2", "contacts:sansan:名刺1", "crm_accounts:sf:1"],
                        [("contacts:sansan:名刺2", "crm_accounts:sf:1"), ("contacts:sansan:名刺1", "contacts:sansan:名刺2")])
    assert set(result.values()) == {"contacts:sansan:名刺1"}


def test_matches_a_reference_union_find_on_a_random_graph() -> None:
    rng = random.Random(3)
    records = [f"r{i:05d}" for i in range(3000)]
    links = [(rng.choice(records), rng.choice(records)) for _ in range(2500)]
    parent = {key: key for key in records}

    def find(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for a, b in links:
        root_a, root_b = find(a), find(b)
        if root_a != root_b:
            parent[max(root_a, root_b)] = min(root_a, root_b)
    members: dict[str, list[str]] = {}
    for key in records:
        members.setdefault(find(key), []).append(key)
    expected = {key: min(group) for group in members.values() for key in group}
    assert components(records, links) == expected


def test_no_records_gives_an_empty_table() -> None:
    assert components([], []) == {}
