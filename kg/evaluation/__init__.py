"""``kg eval``: how well kg reads annotated corpora. ``scores`` (mentions, normalisation), ``relations``
(treats-like claims against gold relations), ``report`` (tables, JSON) and ``run`` (the whole evaluation)."""

from kg.evaluation.relations import Reading, with_tagged_entities
from kg.evaluation.report import format_table, results_json
from kg.evaluation.run import HALVES, PARTS, bucket_of, evaluate_corpus, half_of, part_of, run_evaluation
from kg.evaluation.scores import PRF, CorpusResult, TypeScores, mention_kind, predicted_mentions, score_kinds, score_mentions

__all__ = ["HALVES", "PARTS", "bucket_of", "part_of", "PRF", "CorpusResult", "Reading", "TypeScores", "evaluate_corpus", "format_table", "half_of",
           "mention_kind", "predicted_mentions", "results_json", "run_evaluation", "score_kinds", "score_mentions",
           "with_tagged_entities"]
