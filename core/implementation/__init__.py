"""Implementation (落实): tasks, progress, reports to the town, supervision
and explanations."""
