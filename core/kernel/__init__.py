"""The kernel every area stands on: configuration, extensions, errors, i18n,
transactions, audit, permissions, the plugin platform and notifications."""
