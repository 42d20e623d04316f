"""Queries made on every request or every step, with their SQL built once.

For a read by key, building the query costs the ORM about ten times what the database
takes to answer it: a `get` by primary key is some 230 µs on SQLite, the query itself 20.
The few reads that every signed-in request (the session, the person) and every step make
are written here once, from the models' own fields, and give back model instances made
the ORM's way: the same converters, `Model.from_db`, and the related row cached as
`select_related` caches it. A recorded step is inserted the same way. All of them run
through `connection.cursor()`, so they are counted and logged like any other query.
"""

from collections.abc import Callable

from django.db import connection
from django.db.models import IntegerField, Model, QuerySet
from django.db.models.signals import post_save, pre_save

OPERATORS = {"exact": "=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


class Read:
    """Rows of `model` matching every condition (any one, with `either`), each with the
    row its foreign key `joined` points to.

    A condition is written as for `filter()`: a field (`"pk"`, `"session_id"`), a field
    with a comparison (`"expire_date__gt"`), or a field of the joined row
    (`"session__user_id"`). Values are given in the same order when reading. A value of
    None matches nothing: read `IS NULL` with the ORM.
    """

    def __init__(
        self, model: type[Model], *conditions: str, joined: str | None = None, either=False
    ) -> None:
        self.model = model
        self.conditions = conditions
        self.joined = joined
        self.either = either
        self._built: dict[str, tuple] = {}

    def one(self, *values) -> Model | None:
        rows = self.all(*values)
        return rows[0] if rows else None

    def all(self, *values) -> list[Model]:
        if len(values) != len(self.conditions):
            raise TypeError(f"{len(self.conditions)} values expected, {len(values)} given")
        sql, fields, ranges, parts = self._build()
        params = [
            _within(limits, field.get_db_prep_value(value, connection, prepared=False))
            for field, limits, value in zip(fields, ranges, values, strict=True)
        ]
        if not self.either and None in params:
            return []
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return [self._instance(row, parts) for row in rows]

    def _instance(self, row: tuple, parts: list[tuple]) -> Model:
        made = []
        start = 0
        for model, names, converters in parts:
            values = list(row[start : start + len(names)])
            start += len(names)
            for index, (converter_list, expression) in converters:
                for convert in converter_list:
                    values[index] = convert(values[index], expression, connection)
            made.append(model.from_db(connection.alias, names, values))
        if self.joined:
            self.model._meta.get_field(self.joined).set_cached_value(made[0], made[1])
        return made[0]

    def _build(self) -> tuple:
        """The SQL, the field each value is prepared by and the range of numbers it holds,
        and how to make each instance: built on first use for the database in use."""
        if (built := self._built.get(connection.vendor)) is not None:
            return built
        quote = connection.ops.quote_name
        own = self.model._meta
        tables = [(self.model, "t0")]
        source = f"{quote(own.db_table)} t0"
        if self.joined:
            link = own.get_field(self.joined)
            other = link.related_model
            tables.append((other, "t1"))
            target = quote(link.target_field.column)
            source += (
                f" INNER JOIN {quote(other._meta.db_table)} t1"
                f" ON t1.{target} = t0.{quote(link.column)}"
            )
        columns, parts = [], []
        for model, alias in tables:
            concrete = model._meta.concrete_fields
            columns += [f"{alias}.{quote(field.column)}" for field in concrete]
            parts.append((model, [field.attname for field in concrete], _converters(concrete)))
        fields, wheres = [], []
        for condition in self.conditions:
            field, alias, operator = self._condition(condition, tables)
            if operator != "=" and _integer_range(field):
                raise ValueError(f"Compare numbers by the ORM, not by {condition!r}")
            fields.append(field)
            wheres.append(f"{alias}.{quote(field.column)} {operator} %s")
        joiner = " OR " if self.either else " AND "
        sql = f"SELECT {', '.join(columns)} FROM {source} WHERE {joiner.join(wheres)}"
        ranges = [_integer_range(field) for field in fields]
        built = self._built[connection.vendor] = (sql, fields, ranges, parts)
        return built

    def _condition(self, condition: str, tables: list) -> tuple:
        names = condition.split("__")
        operator = OPERATORS["exact"]
        if len(names) > 1 and names[-1] in OPERATORS:
            operator = OPERATORS[names.pop()]
        model, alias = tables[0]
        if len(names) == 2 and names[0] == self.joined:
            model, alias = tables[1]
            names.pop(0)
        if len(names) != 1:
            raise ValueError(f"Cannot read by {condition!r}")
        meta = model._meta
        field = meta.pk if names[0] == "pk" else meta.get_field(names[0])
        return field, alias, operator


class Rows:
    """The rows of a queryset of plain values (`values_list`), compiled once.

    `build` makes the queryset from keyword arguments, and is called once per database
    with a stand-in number for each; reading runs the SQL with the real numbers (ids) in
    their places. Values come back as the database gives them: read columns that need no
    conversion (numbers, text).
    """

    STAND_IN = -918_273_600

    def __init__(self, build: Callable[..., QuerySet], *names: str) -> None:
        self.build = build
        self.names = names
        self._built: dict[str, tuple] = {}

    def all(self, **values: int) -> list[tuple]:
        sql, places = self._compiled()
        params = [values[name] if name else value for name, value in places]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def first(self, **values: int) -> tuple | None:
        rows = self.all(**values)
        return rows[0] if rows else None

    def _compiled(self) -> tuple:
        if (built := self._built.get(connection.vendor)) is not None:
            return built
        stand_ins = {name: self.STAND_IN - n for n, name in enumerate(self.names)}
        sql, params = self.build(**stand_ins).query.sql_with_params()
        by_stand_in = {number: name for name, number in stand_ins.items()}
        places = [
            (by_stand_in.get(value) if type(value) is int else None, value) for value in params
        ]
        missing = set(self.names) - {name for name, _value in places}
        if missing:
            raise ValueError(f"The query does not use {', '.join(sorted(missing))}")
        built = self._built[connection.vendor] = (sql, places)
        return built


class Insert:
    """Saves a new instance of `model` with one INSERT built once, as `save()` would:
    each field's value prepared by the field (defaults, `auto_now_add`), the new key read
    back. Where anything listens to the model's saves, `save()` itself does it."""

    def __init__(self, model: type[Model]) -> None:
        self.model = model
        self._built: dict[str, tuple] = {}

    def save(self, instance: Model) -> Model:
        listened = pre_save.has_listeners(self.model) or post_save.has_listeners(self.model)
        if listened or not connection.features.can_return_columns_from_insert:
            instance.save(force_insert=True)
            return instance
        sql, fields = self._build()
        params = [
            field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            instance.pk = cursor.fetchone()[0]
        instance._state.adding = False
        instance._state.db = connection.alias
        return instance

    def _build(self) -> tuple:
        if (built := self._built.get(connection.vendor)) is not None:
            return built
        quote = connection.ops.quote_name
        meta = self.model._meta
        fields = [field for field in meta.concrete_fields if field is not meta.pk]
        sql = (
            f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)})"
            f" VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {quote(meta.pk.column)}"
        )
        built = self._built[connection.vendor] = (sql, fields)
        return built


def _integer_range(field) -> tuple | None:
    """The database's range for an integer column (a key's is its target's), else None."""
    target = field.target_field if field.is_relation else field
    if not isinstance(target, IntegerField):  # the automatic keys are IntegerFields too
        return None
    return connection.ops.integer_field_range(target.get_internal_type())


def _within(limits: tuple | None, value):
    """The value, or None (which `=` never matches) for a number the column cannot hold:
    the ORM finds nothing for it too, where the database would refuse it (SQLite raises
    OverflowError)."""
    if limits is None or type(value) is not int:
        return value
    low, high = limits
    if (low is not None and value < low) or (high is not None and value > high):
        return None
    return value


def _converters(fields) -> list[tuple]:
    """For each field the database's and the field's own converters, as the ORM applies
    them: (position, (converters, expression))."""
    found = []
    for index, field in enumerate(fields):
        column = field.get_col(field.model._meta.db_table)
        converters = connection.ops.get_db_converters(column)
        converters += column.get_db_converters(connection)
        if converters:
            found.append((index, (converters, column)))
    return found
