"""Recognition's writes, one module per area."""
