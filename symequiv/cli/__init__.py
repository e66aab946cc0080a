"""The ``symequiv`` command line."""
