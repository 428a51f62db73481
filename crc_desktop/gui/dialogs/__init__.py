"""The dialogs of the window, one class per file."""
