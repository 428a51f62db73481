"""The ministry's side: verify the provinces' bundles and consolidate them into a national store."""
