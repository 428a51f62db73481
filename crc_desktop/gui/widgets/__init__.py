"""Widgets that are not a page or a dialog: a date field and the cell editors built on it, a bar
chart, the bar asking why a submitted or approved period changes."""
