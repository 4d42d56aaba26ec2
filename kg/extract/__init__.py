"""Stage 4, extract: therapy–disease–mechanism claims (``Claim`` with ``Evidence``) from grounded mentions.

``rules`` compiles one language's rules (``relations.toml`` and ``relations.<lang>.toml``); ``sentence``
holds the reading primitives; ``claims`` builds claims (evidence, negation, hedging, confidence, the
treats predicate, therapy nodes); one module per rule family (``treats``, ``direction``, ``capability``,
``differentiation``, ``secretion``); ``templates`` matches verbless treats constructions; ``extractor``
runs them over documents.
"""

from kg.extract.extractor import Extractor, extract
from kg.extract.rules import Rules

__all__ = ["Extractor", "Rules", "extract"]
