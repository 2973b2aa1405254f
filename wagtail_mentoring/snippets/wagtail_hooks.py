"""Admin wiring for this feature (snippet viewsets, menu items, panels)."""
