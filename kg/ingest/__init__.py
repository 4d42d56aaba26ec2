"""Stage 1, ingest: read source files into ``Document``s (``kg.model``).

One module per input format (``journal``, ``text``, ``jsonl``, ``pubtator``, ``pubmed`` XML, ``medline``
tagged text, ``jats`` full text, ``bioc`` XML and JSON) and the registry that picks a reader by format name,
suffix or content (``registry``); ``xml`` reads XML safely and as a stream for the XML readers. Every
reader raises ``KgError`` naming the file (and line or record) for input it cannot use.
"""

from kg.ingest.registry import (READERS, SUFFIXES, Reader, iter_documents, iter_source_files, read_documents,
                                read_sources, sniff, withdraw)
from kg.ingest.text import read_text

__all__ = ["READERS", "SUFFIXES", "Reader", "iter_documents", "iter_source_files", "read_documents", "read_sources", "read_text",
           "sniff", "withdraw"]
