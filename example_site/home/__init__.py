"""The example intranet's home page app."""
