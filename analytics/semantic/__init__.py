"""The semantic layer: measures, metric declarations, periods, the metric queries and the aggregates they read."""
