"""Demo data for the example intranet, one module per feature, run by ``mentoring_demo``."""
