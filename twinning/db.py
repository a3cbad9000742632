"""Database helpers the apps share."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.db.models import BooleanField, Count, F, Func, Model, Q, QuerySet, Window


class AnyOf(Func):
    """`expression = ANY(array)` (PostgreSQL): the array either values read beforehand, sent
    as one parameter, or an expression the database makes once (an ArraySubquery)."""

    output_field = BooleanField()

    def __init__(self, expression, values) -> None:
        if hasattr(values, "resolve_expression"):
            super().__init__(expression, values)
            self.values = None
        else:
            super().__init__(expression)
            self.values = list(values)

    def as_sql(self, compiler, connection, **extra_context):
        if self.values is None:
            # Func's own compiling, which turns an array that can match nothing (an empty
            # subquery) into NULL rather than raising EmptyResultSet through the query.
            return super().as_sql(compiler, connection, template="%(expressions)s)", arg_joiner=" = ANY(")
        sql, params = compiler.compile(self.source_expressions[0])
        if set(map(type, self.values)) <= {int}:
            # Ids as one array literal ('{1,2,3}') cast to the column's type: a list is adapted
            # by psycopg2 value by value into ARRAY[1, 2, 3], which PostgreSQL then parses as
            # as many constants, 3 ms a query for a district's two thousand (0.3 ms so).
            db_type = self.source_expressions[0].output_field.cast_db_type(connection)
            return f"{sql} = ANY(%s::{db_type}[])", (*params, "{" + ",".join(map(str, self.values)) + "}")
        return f"{sql} = ANY(%s)", (*params, self.values)


# The name under which first_with_total counts the rows beside them.
TOTAL = "listed_total"


def with_total(queryset: QuerySet) -> QuerySet:
    """`queryset` with how many rows it holds in all beside each row (COUNT(*) OVER (), as
    TOTAL): a slice of it reads its rows and the total in one query, where a page and a
    count would each work out the same filters."""
    return queryset.annotate(**{TOTAL: Window(Count("pk"))})


def first_with_total(queryset: QuerySet, limit: int) -> tuple[list, int]:
    """The first `limit` rows of `queryset` and how many it holds in all, in one query."""
    rows = list(with_total(queryset)[:limit])
    return rows, getattr(rows[0], TOTAL) if rows else 0


def one_of(field: str, values) -> Q | AnyOf:
    """A filter: `field` is one of `values`, a list read beforehand (a district's two
    thousand partnership ids). On PostgreSQL one array parameter (`= ANY(%s)`): as `IN`,
    Django prepares and binds each value, 9 ms a query for two thousand; elsewhere `IN`."""
    if connection.vendor == "postgresql":
        return AnyOf(F(field), values)
    return Q(**{f"{field}__in": list(values)})


def insert_new(rows: Sequence[Model], *, batch_size: int = 1000) -> list:
    """Insert the rows no unique constraint refuses and return the primary keys of those
    this call inserted; a row that conflicts with one already there is skipped.

    `bulk_create(ignore_conflicts=True)` cannot say which rows it inserted, and counting the
    table before and after also counts what another worker inserted meanwhile. `INSERT …
    ON CONFLICT DO NOTHING RETURNING` answers for this statement alone (PostgreSQL, and
    SQLite since 3.35). Insert rows in a fixed order: two workers inserting the same keys in
    different orders could each wait for the other."""
    if not rows:
        return []
    meta = type(rows[0])._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key and not field.generated]
    quote = connection.ops.quote_name
    head = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(field.column) for field in fields)}) VALUES "
    )
    one_row = f"({', '.join(['%s'] * len(fields))})"
    inserted = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            batch = rows[start : start + batch_size]
            params = [
                field.get_db_prep_save(field.pre_save(row, add=True), connection) for row in batch for field in fields
            ]
            cursor.execute(
                f"{head}{', '.join([one_row] * len(batch))} ON CONFLICT DO NOTHING RETURNING {quote(meta.pk.column)}",
                params,
            )
            inserted.extend(pk for (pk,) in cursor.fetchall())
    return inserted


def update_each(rows: Sequence[Model], field_name: str, *, batch_size: int = 10000) -> None:
    """Write each row's own value of `field_name`, in a few statements whatever the number of
    rows, and in primary-key order (two workers writing the same rows cannot deadlock).

    `bulk_update` writes `CASE WHEN id = 1 THEN … END`, which PostgreSQL evaluates branch by
    branch for every row: its cost grows with the square of the rows. On PostgreSQL this joins
    a list of (id, value) pairs instead; elsewhere (SQLite, small data) it is `bulk_update`."""
    if not rows:
        return
    model = type(rows[0])
    rows = sorted(rows, key=lambda row: row.pk)
    if connection.vendor != "postgresql":
        model.objects.bulk_update(rows, [field_name], batch_size=1000)
        return
    meta = model._meta
    field = meta.get_field(field_name)
    quote = connection.ops.quote_name
    table, column, pk = quote(meta.db_table), quote(field.column), quote(meta.pk.column)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            batch = rows[start : start + batch_size]
            params = []
            for row in batch:
                params += [row.pk, field.get_db_prep_save(getattr(row, field.attname), connection)]
            cursor.execute(
                f"UPDATE {table} SET {column} = CAST(new.value AS {field.db_type(connection)}) "
                f"FROM (VALUES {', '.join(['(%s, %s)'] * len(batch))}) AS new (id, value) "
                f"WHERE {table}.{pk} = new.id",
                params,
            )
