"""Places (地方): the jurisdiction tree, its settings and per-plugin settings, and
the public pages of each place."""
