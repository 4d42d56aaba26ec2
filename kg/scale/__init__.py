"""Building at scale: a corpus of any size in chunks, on worker processes or a Dask cluster, resumable.

``build`` (``build_corpus``: documents streamed from the readers in chunks, each chunk's shards written as
it is done, the final step at the end), ``chunk`` (one chunk through the pipeline into its shards: what
every worker runs), ``workers`` (in this process, or worker processes that build their pipeline once from
a ``PipelineSpec``), ``cluster`` (Dask: a LocalCluster or a scheduler's workers; needs ``kg[dask]``),
``work`` (the work folder: manifest, shards, ``--resume``), ``final`` (the shards merged into one output
in constant memory). The output is the same bytes whatever the chunk size, the workers or the cluster.
"""

from kg.scale.build import BuildOptions, BuildResult, build_corpus, default_workers, fingerprint
from kg.scale.work import WorkFolder, manifest_diff

__all__ = ["BuildOptions", "BuildResult", "WorkFolder", "build_corpus", "default_workers", "fingerprint",
           "manifest_diff"]
