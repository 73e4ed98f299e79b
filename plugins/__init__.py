"""Plugins shipped with the platform; each registers in the ``xieshang.plugins`` group."""
