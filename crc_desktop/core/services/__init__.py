"""Use cases: each takes and returns schemas, and runs in one unit of work."""
