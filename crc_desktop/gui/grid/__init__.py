"""The indicator grid of the Indicators page: its model and its view."""
