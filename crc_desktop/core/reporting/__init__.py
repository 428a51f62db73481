"""Documents made from a period's snapshot: the PDF report, Excel workbooks, SDMX-CSV."""
