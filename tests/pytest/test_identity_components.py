"""Connected components of identity links (the dbt Python model int_company_records_connected),
tested as a function: no dbt run needed."""

from __future__ import annotations

import random
from types import ModuleType

import numpy as np
import pytest

from conftest import load_python_model


def load_model() -> ModuleType:
    return load_python_model("models/intermediate/identity/int_company_records_connected.py")


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


def split(component: list[int], corporate: list[str | None], links: list[tuple[int, int]]) -> tuple[list[int], list[bool]]:
    names = sorted({c for c in corporate if c is not None})
    group = np.array([names.index(c) if c is not None else -1 for c in corporate], dtype=np.int64)
    cluster, was_split = load_model().split_by_corporate_number(
        np.array(component, dtype=np.int64), group,
        np.array([a for a, _ in links], dtype=np.int64), np.array([b for _, b in links], dtype=np.int64))
    return cluster.tolist(), was_split.tolist()


def test_conflicting_corporate_numbers_veto_a_transitive_merge() -> None:
    # a (法人番号 X) – b (none) – c (法人番号 Y) – d (none); e alone: X and Y are two companies, b joins
    # the smaller anchor on the tie, d (linked only to c) stays with c
    links = [(1, 0), (1, 2), (3, 2)]
    component = components(5, links)
    assert split(component, ["X", None, "Y", None, None], links) == (
        [0, 0, 2, 2, 4], [True, True, True, True, False])


def test_records_far_from_any_corporate_number_follow_the_nearest_one() -> None:
    # a star: hub 2 links to 0 (X) and to its spokes 3, 4; 1 (Y) reaches the hub only through
    # 6 – 5. The hub (one link from X) joins X and its spokes follow it (two from X, four from Y);
    # 6, next to Y, joins Y; 5 is two links from both and takes the smaller anchor, X
    links = [(2, 0), (3, 2), (4, 2), (5, 2), (6, 5), (6, 1)]
    component = components(7, links)
    assert split(component, ["X", "Y", None, None, None, None, None], links)[0] == [0, 1, 0, 0, 0, 0, 1]


def test_a_record_joins_the_corporate_number_it_has_most_links_to() -> None:
    # 2 links to 1 (Y) twice over (via its two equally near neighbours 3 and 4 — both Y) and to 0 (X)
    # once, through 5: at the second level it has two votes for Y, one for X
    links = [(3, 1), (4, 1), (5, 0), (2, 3), (2, 4), (2, 5)]
    component = components(6, links)
    assert split(component, ["X", "Y", None, None, None, None], links)[0] == [0, 1, 1, 1, 1, 0]


def test_one_corporate_number_or_none_splits_nothing() -> None:
    links = [(1, 0), (2, 1), (4, 3)]
    component = components(5, links)
    assert split(component, ["X", None, "X", None, None], links) == ([0, 0, 0, 3, 3], [False] * 5)


def test_several_rules_linking_one_pair_are_one_edge() -> None:
    # the links arrive one per rule: 2 – 3 by three rules (3 next to X) is one edge, so it does not
    # outvote 2's two distinct links towards Y (via 4 and 5): 2 joins Y
    model = load_model()
    raw_from = np.array([3, 4, 5, 2, 2, 2, 2, 2], dtype=np.int64)
    raw_to = np.array([0, 1, 1, 3, 3, 3, 4, 5], dtype=np.int64)
    numbers_from, numbers_to = model.distinct_edges(6, raw_from, raw_to)
    links = list(zip(numbers_from.tolist(), numbers_to.tolist()))
    assert links == [(2, 3), (2, 4), (2, 5), (3, 0), (4, 1), (5, 1)]
    labels = ["X", "Y", None, None, None, None]
    assert split(components(6, links), labels, links)[0] == [0, 1, 1, 0, 1, 1]
    # the raw list, one row per rule, would have sent 2 to X
    raw_links = list(zip(raw_from.tolist(), raw_to.tolist()))
    assert split(components(6, raw_links), labels, raw_links)[0][2] == 0


def test_distinct_edges_reject_a_number_outside_the_records() -> None:
    with pytest.raises(ValueError, match="outside"):
        load_model().distinct_edges(2, np.array([0], dtype=np.int64), np.array([2], dtype=np.int64))


def test_records_are_placed_by_their_number_whatever_the_input_order() -> None:
    numbers = np.array([3, 0, 2, 1], dtype=np.int64)
    order = load_model()._positions_by_number(numbers)
    assert numbers[order].tolist() == [0, 1, 2, 3]


@pytest.mark.parametrize("numbers", [[0, 2], [0, 0, 1], [-1, 0], [1, 2]])
def test_numbers_with_gaps_or_repeats_are_an_error(numbers: list[int]) -> None:
    with pytest.raises(ValueError, match="without gaps"):
        load_model()._positions_by_number(np.array(numbers, dtype=np.int64))
