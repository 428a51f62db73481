"""The ministry's window: its trust registry, the inbox of the provinces' bundles, and who
submitted each period."""
