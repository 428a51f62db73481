"""The pages of the main window, one per entry of its side bar, and the parts of a page kept in a
file of their own (Settings' approval rule and office signature boxes)."""
