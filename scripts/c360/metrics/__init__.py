"""The semantic layer (models/semantic, MetricFlow) queried against the analytics file."""
