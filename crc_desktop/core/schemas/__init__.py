"""Pydantic models: everything that crosses a boundary (GUI, files, bundles) is one of these."""
