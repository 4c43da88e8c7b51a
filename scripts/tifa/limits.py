"""Every size limit on input, in one place (documented in CONTRIBUTING.md; a test keeps them in step).

The numbers leave room for any real speech or entry — the longest government work report is
about 170 KB, the longest glossary file about 2 KB — and stop runaway input before it costs
minutes or megabytes in every reader's browser.
"""
from __future__ import annotations

RAW_TEXT_BYTES = 2 * 1024 * 1024  # one raw text; larger is refused (S003)
RAW_TEXT_WARN_BYTES = 512 * 1024  # larger than this builds, with a warning
LONG_LINE_CHARS = 20_000  # a line this long is one paragraph on the page: warned about
YAML_FILE_BYTES = 64 * 1024  # a sidecar or a glossary entry (S003, G021)
YAML_DEPTH = 8  # mappings and lists nested in each other (S009, G022)

# Characters per sidecar value (S010).
SIDECAR_TEXT = {"slug": 80, "title": 200, "title_en": 300, "value": 1000, "evidence": 1000,
                "confidence": 10, "note": 1000, "evidence_source": 10}  # value/evidence: a source URL

# Characters per glossary value, by key (G023); `*` for any other text value.
GLOSSARY_TEXT = {"term": 40, "traditional": 40, "aliases": 40, "components": 60, "negative_contexts": 60,
                 "related": 80, "superseded_by": 80, "pinyin": 200, "text": 300, "source": 200,
                 "summary": 400, "definition": 4000, "url": 2000, "*": 1000}
GLOSSARY_LIST_ITEMS = 50  # items in any list of an entry (G023)
SURFACE_MIN_CHARS = 2  # a term or alias links wherever it occurs: at least two characters, one a letter
