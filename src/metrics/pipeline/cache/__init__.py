"""The files of the cache that ``metrics.pipeline.snapshot`` keeps: the folder they live
in and how they are written (``folder``), and the check state as data (``statefile``)."""
