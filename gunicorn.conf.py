"""gunicorn's settings for the site. gunicorn reads this file from its working directory (the
project root, where the Procfile and `bench_pages` start it), so every worker gets it.

Before its first request a worker compiles every template and loads the URLconf and the
translations (twinning.warmup): otherwise the first requests to each page in each worker are
several times slower, after every restart.

The collector: a worker that has loaded Django holds some 130,000 long-lived objects (models,
URLconf, forms, translations). Python's full collection walks all of them every few dozen
requests, a pause of 50-150 ms that lands on whichever request happens to be running (the
pages' p95). Once the application is loaded, the worker freezes what it holds: those objects
move to a permanent generation the collector no longer walks; objects made later are collected
as before.
"""

import gc


def post_worker_init(worker) -> None:
    from twinning.warmup import warm_up

    warm_up()
    gc.collect()
    gc.freeze()
