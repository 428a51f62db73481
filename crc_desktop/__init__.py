"""CRC Desktop: a provincial office's plan, indicators and signed reports for Decision 27/QĐ-TTg."""

__version__ = "0.1.0"
