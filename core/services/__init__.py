"""Domain operations. They take the acting user, check permissions through
``core.permissions``, write the audit log, and raise ``DomainError`` with a
translatable message when they refuse. They never see request objects."""
