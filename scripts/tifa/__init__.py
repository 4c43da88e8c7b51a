"""Tifa: turn scraped Chinese speeches into a browsable, searchable static site.

One module per stage: sources (load) → clean → structure → glossary → linker → emit → search_index.
Only `sources` and `emit` touch the disk.
"""
