"""Connected components of the accepted identity links (grain: record_number).

Every company record gets the smallest record number of its connected component. SQL can only find
components by label propagation — one self-join of the whole edge list per round, as many rounds as
the longest chain needs (10 at a million companies) — so this model hands the graph to
scipy.sparse.csgraph.connected_components, a linear-time traversal in C over the links as a sparse
matrix; no Python loop touches a record. Records and links arrive as integers
(int_company_records_numbered, int_company_record_links_numbered, numbered in record-key order), so
the smallest number of a component is also its smallest record key.

Adapter-neutral: dbt.ref() gives a DuckDB relation here (read as Arrow), a Spark or Snowpark data
frame elsewhere (read through pandas).
"""

import numpy as np
import pyarrow as pa


def _to_arrow(relation) -> pa.Table:
    if hasattr(relation, "arrow"):  # DuckDB
        table = relation.arrow()
        return table.read_all() if isinstance(table, pa.RecordBatchReader) else table
    if hasattr(relation, "toPandas"):  # Spark
        return pa.Table.from_pandas(relation.toPandas(), preserve_index=False)
    return pa.Table.from_pandas(relation.to_pandas(), preserve_index=False)  # Snowpark and others


def _as_int64(column: pa.ChunkedArray) -> np.ndarray:
    return column.to_numpy().astype(np.int64, copy=False)


def connected_components(nodes: int, numbers_from: np.ndarray, numbers_to: np.ndarray) -> np.ndarray:
    """For nodes 0 … nodes − 1 and undirected edges (numbers_from[i], numbers_to[i]): the smallest
    node of each node's component. Edges to nodes outside the range are an error, not ignored."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components as scipy_components

    if len(numbers_from) and (min(numbers_from.min(), numbers_to.min()) < 0
                              or max(numbers_from.max(), numbers_to.max()) >= nodes):
        raise ValueError("a link refers to a record number outside 0 … nodes − 1")
    graph = coo_matrix((np.ones(len(numbers_from), dtype=np.int32), (numbers_from, numbers_to)),
                       shape=(nodes, nodes))
    _, labels = scipy_components(graph.tocsr(), directed=False)
    # a label's first node in number order is the component's smallest node
    _, first_node, inverse = np.unique(labels, return_index=True, return_inverse=True)
    return first_node[inverse].astype(np.int64)


def model(dbt, session):
    dbt.config(materialized="table", packages=["numpy", "scipy", "pyarrow"])
    records = _to_arrow(dbt.ref("int_company_records_numbered").select("record_number"))
    links = _to_arrow(dbt.ref("int_company_record_links_numbered"))
    numbers = _as_int64(records.column("record_number"))
    nodes = int(numbers.max()) + 1 if len(numbers) else 0
    if len(numbers) != nodes:
        raise ValueError("int_company_records_numbered must number records 0 … n − 1 without gaps")
    smallest = connected_components(
        nodes, _as_int64(links.column("record_number_from")), _as_int64(links.column("record_number_to")))
    return pa.table({"record_number": pa.array(np.arange(nodes, dtype=np.int64)),
                     "component_number": pa.array(smallest)})
