"""The overview's chart: each indicator against its own target, on its own scale."""

from __future__ import annotations

from crc_desktop.gui.widgets.bar_chart import HEADROOM, row_scale


def test_a_percentage_and_a_rate_per_100000_each_get_their_own_scale():
    percentage = row_scale(59.1, 98.5)
    rate = row_scale(372.31, 16)
    assert percentage == 98.5 * HEADROOM and rate == 372.31 * HEADROOM
    # the percentage's target sits at 80 % of its row, not at 98.5 / 372 = 26 % as on a shared axis
    assert 98.5 / percentage == 0.8


def test_a_row_without_a_target_or_value_still_has_a_scale():
    assert row_scale(None, None) > 0
    assert row_scale(12.0, None) == 12.0 * HEADROOM
