"""Keys, signatures and the signed report bundle."""
