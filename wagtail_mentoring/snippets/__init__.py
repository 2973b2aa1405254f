"""OKR snippets: cycles, objectives, key results, check-ins and initiatives."""
