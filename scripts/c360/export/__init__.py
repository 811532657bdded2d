"""``c360 export``: the activation marts as Segment calls, CSV or Parquet files (docs/exports.md).

One module per job: ``tables`` reads the export marts and hashes each row's
traits, ``segment`` turns rows into identify and group calls, ``files``
writes files under temporary names and renames them with a manifest last,
``state`` keeps what was exported in ``ops.export_state``, ``run`` ties them.
"""
