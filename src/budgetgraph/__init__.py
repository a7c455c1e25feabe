"""budgetgraph."""
