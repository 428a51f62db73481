"""Shipped data: reference catalogues, fonts and translation catalogues (no code)."""
