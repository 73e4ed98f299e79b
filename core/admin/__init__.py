"""Administration: users, jurisdictions, the register, plugins, settings, audit log
and outbox pages."""
