"""Connected components of the accepted identity links (grain: record_key).

Every company record gets the smallest record_key of its connected component. SQL can only find
components by label propagation — one self-join of the whole edge list per round, as many rounds as
the longest chain needs (10 at a million companies) — so this model hands the graph to
scipy.sparse.csgraph.connected_components, a linear-time union of the links in C: the record keys
become integer node ids (their position in sorted order, so the smallest id of a component is its
smallest key), the links a sparse matrix, and no Python loop touches a record.

Adapter-neutral: dbt.ref() gives a DuckDB relation here (read as Arrow), a Spark or Snowpark data
frame elsewhere (read through pandas); the result is an Arrow table, which every dbt adapter that
runs Python models accepts as a pandas frame via to_pandas() when it does not take Arrow itself.
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


def connected_components(record_keys: pa.Array, keys_from: pa.Array, keys_to: pa.Array) -> pa.Table:
    """(record_key, component_key) for every record: component_key is the component's smallest key.
    Link ends that are not among record_keys are ignored (a link never creates a record)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components as scipy_components

    keys = pc.take(record_keys, pc.sort_indices(record_keys)) if len(record_keys) else record_keys
    node_from = pc.index_in(keys_from, value_set=keys).to_numpy(zero_copy_only=False)
    node_to = pc.index_in(keys_to, value_set=keys).to_numpy(zero_copy_only=False)
    known = ~(np.isnan(node_from.astype(float)) | np.isnan(node_to.astype(float)))
    node_from, node_to = node_from[known].astype(np.int64), node_to[known].astype(np.int64)
    nodes = len(keys)
    graph = coo_matrix((np.ones(len(node_from), dtype=np.int32), (node_from, node_to)), shape=(nodes, nodes))
    _, labels = scipy_components(graph.tocsr(), directed=False)
    # nodes are in key order, so a label's first node is the component's smallest key
    _, first_node, inverse = np.unique(labels, return_index=True, return_inverse=True)
    smallest = first_node[inverse]
    return pa.table({"record_key": keys, "component_key": pc.take(keys, pa.array(smallest))})


def model(dbt, session):
    dbt.config(materialized="table", packages=["numpy", "scipy", "pyarrow"])
    records = _to_arrow(dbt.ref("int_company_records_prepared").select("record_key"))
    links = _to_arrow(dbt.ref("int_company_records_linked").select("record_key_from", "record_key_to"))
    return connected_components(
        records.column("record_key").combine_chunks(),
        links.column("record_key_from").combine_chunks(),
        links.column("record_key_to").combine_chunks(),
    )
