"""Connected components of identity links (the dbt Python model int_company_records_connected),
tested as a function: no dbt run needed."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

MODEL = Path(__file__).resolve().parents[2] / "models/intermediate/identity/int_company_records_connected.py"


def load_model() -> ModuleType:
    spec = importlib.util.spec_from_file_location("int_company_records_connected", MODEL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def components(nodes: int, links: list[tuple[int, int]]) -> list[int]:
    numbers_from = np.array([a for a, _ in links], dtype=np.int64)
    numbers_to = np.array([b for _, b in links], dtype=np.int64)
    return load_model().connected_components(nodes, numbers_from, numbers_to).tolist()


def test_a_long_chain_is_one_component_named_by_its_smallest_node() -> None:
    chain = [5, 4, 3, 2, 1, 0]
    assert components(6, list(zip(chain, chain[1:]))) == [0] * 6


def test_unlinked_records_are_their_own_component() -> None:
    assert components(3, [(1, 0)]) == [0, 0, 2]


def test_duplicate_and_reversed_links_are_harmless() -> None:
    assert components(4, [(1, 0), (1, 0), (0, 1)] + [(3, 2)] * 300) == [0, 0, 2, 2]


def test_a_link_outside_the_records_is_an_error() -> None:
    with pytest.raises(ValueError, match="outside"):
        components(2, [(0, 2)])


def test_matches_a_reference_union_find_on_a_random_graph() -> None:
    rng = random.Random(3)
    nodes = 3000
    links = [(rng.randrange(nodes), rng.randrange(nodes)) for _ in range(2500)]
    parent = list(range(nodes))

    def find(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in links:
        root_a, root_b = find(a), find(b)
        parent[max(root_a, root_b)] = min(root_a, root_b)
    members: dict[int, list[int]] = {}
    for node in range(nodes):
        members.setdefault(find(node), []).append(node)
    expected = [0] * nodes
    for group in members.values():
        for node in group:
            expected[node] = min(group)
    assert components(nodes, links) == expected


def test_no_records_gives_an_empty_result() -> None:
    assert components(0, []) == []
