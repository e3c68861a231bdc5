"""GPU-sized evaluation of Facet SR score models (DESIGN.md section 4).

Writes the same results JSON as `facet eval` (src/core/eval/schema.ts; `schema.json` here is generated from it), so
results of either evaluator can be merged, compared and turned into tables and figures by `facet eval report`.
"""
