"""Clusters of company records: connected components of the accepted identity links, split by 法人番号
(grain: record_number).

Every company record gets the smallest record number of its connected component. SQL can only find
components by label propagation — one self-join of the whole edge list per round, as many rounds as
the longest chain needs (10 at a million companies) — so this model hands the graph to
scipy.sparse.csgraph.connected_components, a linear-time traversal in C over the links as a sparse
matrix; no Python loop touches a record. Records and links arrive as integers
(int_company_records_numbered, int_company_records_linked, numbered in record-key order), so
the smallest number of a component is also its smallest record key.

A component that holds two valid 法人番号 (joined through records without one) is two companies: a
conflicting 法人番号 always vetoes the merge. Its records with a 法人番号 form one cluster per number;
each record without one joins the 法人番号 nearest to it in links — breadth first, a level of the
graph at a time, so the spokes of a star whose hub sits next to a 法人番号 follow the hub — and
between equally near ones the one it has most links to, then the smaller anchor.

Adapter-neutral: dbt.ref() gives a DuckDB relation here (read as Arrow), a Spark or Snowpark data
frame elsewhere (read through pandas); on Spark the result goes back as a Spark data frame.
"""

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def _to_arrow(relation) -> pa.Table:
    if hasattr(relation, "arrow"):  # DuckDB
        table = relation.arrow()
        return table.read_all() if isinstance(table, pa.RecordBatchReader) else table
    if hasattr(relation, "toPandas"):  # Spark
        return pa.Table.from_pandas(relation.toPandas(), preserve_index=False)
    return pa.Table.from_pandas(relation.to_pandas(), preserve_index=False)  # Snowpark and others


def _as_int64(column: pa.ChunkedArray) -> np.ndarray:
    return column.to_numpy().astype(np.int64, copy=False)


def _check_range(nodes: int, numbers_from: np.ndarray, numbers_to: np.ndarray) -> None:
    if len(numbers_from) and (min(numbers_from.min(), numbers_to.min()) < 0
                              or max(numbers_from.max(), numbers_to.max()) >= nodes):
        raise ValueError("a link refers to a record number outside 0 … nodes − 1")


def connected_components(nodes: int, numbers_from: np.ndarray, numbers_to: np.ndarray) -> np.ndarray:
    """For nodes 0 … nodes − 1 and undirected edges (numbers_from[i], numbers_to[i]): the smallest
    node of each node's component. Edges to nodes outside the range are an error, not ignored."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components as scipy_components

    _check_range(nodes, numbers_from, numbers_to)
    graph = coo_matrix((np.ones(len(numbers_from), dtype=np.int32), (numbers_from, numbers_to)),
                       shape=(nodes, nodes))
    count, labels = scipy_components(graph.tocsr(), directed=False)
    # each component is named by its smallest node (a minimum per label: no sort of the nodes)
    first_node = np.full(count, nodes, dtype=np.int64)
    np.minimum.at(first_node, labels, np.arange(nodes, dtype=np.int64))
    return first_node[labels]


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted: a sort and a comparison with the neighbour. numpy 2's np.unique
    hashes instead, and took 60 times as long on 10 M links here."""
    values = np.sort(values)
    first = np.ones(len(values), dtype=bool)
    first[1:] = values[1:] != values[:-1]
    return values[first]


def distinct_edges(nodes: int, numbers_from: np.ndarray, numbers_to: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The links as distinct (from, to) edges: several rules linking one pair are one edge, so a pair
    counts once when a split 法人番号 component weighs the links of a record."""
    _check_range(nodes, numbers_from, numbers_to)
    if not len(numbers_from):
        return numbers_from, numbers_to
    codes = _sorted_unique(numbers_from * np.int64(max(nodes, 1)) + numbers_to)
    return codes // max(nodes, 1), codes % max(nodes, 1)


def conflicted_components(component: np.ndarray, corporate_group: np.ndarray) -> np.ndarray:
    """Per node: does its component hold two or more different 法人番号? corporate_group is an integer
    per node, the same for the same 法人番号, −1 for none."""
    with_number = corporate_group >= 0
    if not with_number.any():
        return np.zeros(len(component), dtype=bool)
    groups = np.int64(corporate_group.max() + 1)
    # one code per distinct (component, 法人番号); a component met twice holds two 法人番号
    components_of_pairs = _sorted_unique(component[with_number] * groups + corporate_group[with_number]) // groups
    conflicted = np.zeros(len(component), dtype=bool)
    conflicted[components_of_pairs[1:][components_of_pairs[1:] == components_of_pairs[:-1]]] = True
    return conflicted[component]


def split_by_corporate_number(component: np.ndarray, corporate_group: np.ndarray,
                              numbers_from: np.ndarray, numbers_to: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(cluster, was_split) per node: the component, except in components holding two different
    法人番号, where each 法人番号 is its own cluster (named by its smallest node) and every other node
    joins the nearest one — nearest in links; ties: most links from the level before, then the
    smaller anchor. One vectorised step per level of the graph, never one per node."""
    nodes = len(component)
    cluster = component.copy()
    was_split = conflicted_components(component, corporate_group) if nodes else np.zeros(0, dtype=bool)
    if not was_split.any():
        return cluster, was_split
    with_number = np.flatnonzero(corporate_group >= 0)
    anchor_of_group = np.full(int(corporate_group.max()) + 1, nodes, dtype=np.int64)
    np.minimum.at(anchor_of_group, corporate_group[with_number], with_number)
    label = np.full(nodes, -1, dtype=np.int64)
    seeds = with_number[was_split[with_number]]
    label[seeds] = anchor_of_group[corporate_group[seeds]]
    # both ends of a link lie in one component: the links of split components, both directions
    inside = was_split[numbers_from]
    source = np.concatenate([numbers_from[inside], numbers_to[inside]])
    target = np.concatenate([numbers_to[inside], numbers_from[inside]])
    while True:
        frontier = (label[source] >= 0) & (label[target] < 0)
        if not frontier.any():
            break
        votes, counts = np.unique(np.stack([target[frontier], label[source[frontier]]]), axis=1, return_counts=True)
        # per target node: most votes first, then the smaller anchor
        order = np.lexsort((votes[1], -counts, votes[0]))
        votes = votes[:, order]
        first = np.ones(votes.shape[1], dtype=bool)
        first[1:] = votes[0, 1:] != votes[0, :-1]
        label[votes[0, first]] = votes[1, first]
    reached = was_split & (label >= 0)
    cluster[reached] = label[reached]
    return cluster, was_split


def _positions_by_number(numbers: np.ndarray) -> np.ndarray:
    """Where record i of 0 … n − 1 sits in the unordered input (a scatter, not a sort); the numbers
    must be exactly 0 … n − 1."""
    nodes = len(numbers)
    if nodes and (numbers.min() < 0 or numbers.max() >= nodes
                  or np.bincount(numbers, minlength=nodes).max() != 1):
        raise ValueError("int_company_records_numbered must number records 0 … n − 1 without gaps")
    order = np.empty(nodes, dtype=np.int64)
    order[numbers] = np.arange(nodes, dtype=np.int64)
    return order


def _corporate_groups(column: pa.ChunkedArray) -> np.ndarray:
    encoded = pc.dictionary_encode(column.combine_chunks())
    return pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)


def model(dbt, session):
    dbt.config(materialized="table", packages=["numpy", "scipy", "pyarrow"])
    records = _to_arrow(dbt.ref("int_company_records_numbered").select("record_number", "corporate_number"))
    links = _to_arrow(dbt.ref("int_company_records_linked").select("record_number_from", "record_number_to"))
    numbers = _as_int64(records.column("record_number"))
    nodes = len(numbers)
    order = _positions_by_number(numbers)
    numbers_from, numbers_to = distinct_edges(nodes, _as_int64(links.column("record_number_from")),
                                              _as_int64(links.column("record_number_to")))
    component = connected_components(nodes, numbers_from, numbers_to)
    corporate_group = _corporate_groups(records.column("corporate_number"))[order] if nodes else np.zeros(0, np.int64)
    cluster, was_split = split_by_corporate_number(component, corporate_group, numbers_from, numbers_to)
    result = pa.table({"record_number": pa.array(np.arange(nodes, dtype=np.int64)),
                       "component_number": pa.array(component),
                       "cluster_number": pa.array(cluster),
                       "was_split_by_corporate_number": pa.array(was_split)})
    # DuckDB stores Arrow as it is; a Spark session takes it as a data frame
    return session.createDataFrame(result) if hasattr(session, "createDataFrame") else result
