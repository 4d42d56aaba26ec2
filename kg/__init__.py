"""kg: a biomedical knowledge-graph builder."""
