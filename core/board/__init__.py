"""The disclosure board (公开栏): the hash chain, entries, printed notices and
subscriptions."""
