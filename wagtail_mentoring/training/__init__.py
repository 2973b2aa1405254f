"""Training-resource library, learning paths, completions and training events."""
