"""Installed only by devtools/bench_settings.py, the settings `bench_pages` serves the site with."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, HttpResponse

QUERIES_HEADER = "X-Bench-Queries"


def count_queries(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """The number of SQL statements a request ran, in a response header. An execute wrapper
    counts without the query log, so DEBUG stays off and the count costs a function call. A
    streamed response (a CSV) is counted up to its first byte: its rows are read lazily."""

    def middleware(request: HttpRequest) -> HttpResponse:
        count = 0
        # Connect before counting: a process's first connection runs django.contrib.postgres's
        # type lookups (hstore and citext, then cached per process), which are no page's queries and
        # made whichever page a new worker served first count two more.
        connection.ensure_connection()

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = get_response(request)
            if response.streaming:
                # Read it here, counted; the body is sent from memory.
                response.streaming_content = [b"".join(response.streaming_content)]
        response[QUERIES_HEADER] = str(count)
        return response

    return middleware
