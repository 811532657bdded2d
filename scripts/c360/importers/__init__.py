"""``c360 import``: the exports teams already have, landed as landing-zone partitions.

One module per job: ``sources`` finds and opens input files (gzip or plain),
``csvfile`` reads CSV with line numbers, ``values`` parses one value or says
why not, ``segment``, ``salesforce``, ``stripe`` and ``stripe_csv`` map one
source's records to spec rows, ``batches`` groups rows by partition and drops
copies, ``landing`` writes partitions through ``c360.landing_write``,
``rejects`` writes the rows that could not be mapped, ``result`` counts and
summarises, and ``cli`` wires ``c360 import`` (docs/importers.md).
"""
