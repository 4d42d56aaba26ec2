"""kg: a biomedical knowledge-graph builder.

The packages are the pipeline's stages, in order: ``ingest`` (documents), ``nlp`` (recognition: the only
package with spaCy), ``ground`` (ontology identifiers), ``extract`` (claims), ``graph`` (assembly and
alignment), ``rdf`` (RDF out, queries, stores, merge, validation, KGX), ``draw`` (figures). Beside them:
``ontology`` (lexicons), ``corpora`` (annotated corpora), ``evaluation`` (``kg eval``), ``training``
(``kg train``), ``scale`` (``kg build`` of large corpora: chunks, workers, Dask, resume); at the top ``model`` (the records the stages pass), ``config`` (the policy files),
``pipeline`` (the library API) and ``cli`` (the ``kg`` command).
"""
