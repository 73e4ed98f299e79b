"""Legal review (法律审核): review requests, opinions, the adviser's log and
compliance."""
