"""Reports (报告): sections plugins add, figures, saved assessment reports."""
