"""The JSON Schema stage: a fast yes/no for every record, full detail only for failures.

Every record goes through ``jsonschema_rs`` (compiled once per record type).
Only a record it rejects is validated again with python-jsonschema, whose
errors carry the schema, keyword and sub-errors needed to explain the
problem in plain words, to rank alternatives (as ``best_match`` does) and to
fold follow-on errors into one issue: a misspelled field is reported once,
with a suggestion, not also as a missing required field. python-jsonschema
is a hundred times slower, so it is given only the fields jsonschema_rs
found fault with: the others' subschemas are replaced by ``true``, which
changes none of the errors and leaves it a fraction of the work.

Both validators resolve ``$ref`` only through the :class:`~hsdata.SchemaSet`
they are given; neither ever fetches anything. Both use the same regular
expression semantics (ECMA-262, as the JSON Schema specification says), so
they always agree on whether a record is valid.
"""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

import jsonschema_rs
import orjson
from jsonschema import Draft202012Validator, ValidationError, validators
from jsonschema.exceptions import best_match
from referencing.exceptions import Unresolvable

from .._cache import cached, digest_of
from .._i18n import tr
from .._reporting import Issue, field_name, kind_of, make_issue, pointer_of, shown
from .._schemas import FieldPath, SchemaError, SchemaSet
from ._nouns import record_noun
from ._text import CLEAN_TEXT_PATTERN, is_free_text


class SchemaUnusable(Exception):
    """A schema of the set cannot be compiled (for example an unresolvable $ref)."""


# -- one regular-expression dialect on both paths ----------------------------------------------


def ecma_to_python(pattern: str) -> str:
    """Rewrite an ECMA-262 pattern so that Python's ``re`` reads it the same way.

    In ECMA-262 (and jsonschema_rs) ``$`` matches only at the very end of
    the text; in Python it also matches before a final newline, so
    ``^[a-z]+$`` would accept ``'abc\\n'``. ``\\d`` and ``\\w`` are ASCII-only
    in ECMA-262 and Unicode-aware in Python.

    >>> ecma_to_python("^[a-z]+$")
    '^[a-z]+\\\\Z'
    >>> ecma_to_python(r"^\\d[$]\\$$")
    '^[0-9][$]\\\\$\\\\Z'
    """
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if nxt == "d":
                out.append("0-9" if in_class else "[0-9]")
            elif nxt == "D":
                out.append("[^0-9]" if not in_class else "\\D")
            elif nxt == "w":
                out.append("A-Za-z0-9_" if in_class else "[A-Za-z0-9_]")
            elif nxt == "W":
                out.append("[^A-Za-z0-9_]" if not in_class else "\\W")
            else:
                out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            if char == "]":
                in_class = False
            out.append(char)
        elif char == "[":
            in_class = True
            out.append(char)
            # A ']' right after '[' or '[^' is a literal member of the class.
            for literal in ("^]", "]"):
                if pattern.startswith(literal, i + 1):
                    out.append(literal)
                    i += len(literal)
                    break
        elif char == "$":
            out.append("\\Z")
        else:
            out.append(char)
        i += 1
    return "".join(out)


@lru_cache(maxsize=512)
def ecma_regex(pattern: str) -> re.Pattern[str]:
    """A compiled Python regex with the ECMA-262 meaning of ``pattern``."""
    return re.compile(ecma_to_python(pattern))


def _ecma_pattern(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not ecma_regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


#: python-jsonschema's draft 2020-12 validator with ECMA-262 ``pattern`` semantics.
EcmaDraft202012Validator: Any = validators.extend(  # type: ignore[no-untyped-call]
    Draft202012Validator, validators={"pattern": _ecma_pattern}
)


def _refuse_retrieval(uri: str) -> Any:
    raise ValueError(f"hsdata never fetches schemas: {uri} is not one of the bundled schemas")


def answer(is_valid: Callable[[Any], bool], record: Any) -> bool:
    """A compiled validator's answer; False for values no JSON text can hold."""
    try:
        return bool(is_valid(record))
    except (UnicodeEncodeError, ValueError, OverflowError):
        return False


# -- compiled validators -------------------------------------------------------------------------

_DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"

#: Keywords under which a stricter subschema can make an instance valid rather than invalid.
_NON_MONOTONIC = frozenset({"not", "if", "oneOf", "contains", "dependentSchemas"})


@dataclass
class CompiledSchemas:
    """The validators of one :class:`SchemaSet`, compiled on first use and kept."""

    schema_set: SchemaSet
    #: for a record type, JSON Schemas its current-codes validator checks too, so that
    #: its yes also settles the record checks they say (see RecordChecker.schema_fragments)
    fragments_of: Callable[[str], Sequence[dict[str, Any]]] | None = None
    _fast: dict[str, Any] = field(default_factory=dict)
    _slow: dict[str, Any] = field(default_factory=dict)
    _codes: dict[str, Any] = field(default_factory=dict)
    _closed_enum_paths: dict[str, frozenset[FieldPath]] = field(default_factory=dict)
    _narrowed: dict[tuple[str, frozenset[str]], Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        common = self.schema_set.schemas.get(
            f"https://w3id.org/hsdata/schema/{self.schema_set.version}/common.json", {}
        )
        defs = common.get("$defs", {})
        self.identifier_def: dict[str, Any] | None = defs.get("Identifier")
        self.partial_date_def: dict[str, Any] | None = defs.get("PartialDate")
        self.language_tag_pattern: str | None = (
            defs.get("LanguageMap", {}).get("propertyNames", {}).get("pattern")
        )
        self._registry: Any = None
        self._codes_imply_schema = True

    def _rs_registry(self) -> Any:
        if self._registry is None:
            resources = list(self.schema_set.schemas.items())
            try:
                self._registry = jsonschema_rs.Registry(resources, retriever=_refuse_retrieval)
            except (jsonschema_rs.ReferencingError, ValueError) as exc:
                raise SchemaUnusable(str(exc)) from exc
        return self._registry

    def fast(self, record_type: str) -> Any:
        """The jsonschema_rs validator of a record type."""
        validator = self._fast.get(record_type)
        if validator is None:
            schema = self.schema_set.record_schema(record_type)
            try:
                validator = jsonschema_rs.validator_for(
                    schema,
                    registry=self._rs_registry(),
                    retriever=_refuse_retrieval,
                    validate_formats=False,
                )
            except (jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError) as exc:
                raise SchemaUnusable(str(exc).split("\n", 1)[0]) from exc
            except ValueError as exc:
                raise SchemaUnusable(str(exc)) from exc
            self._fast[record_type] = validator
        return validator

    def _codes_validator(self, record_type: str) -> Any:
        """The current-codes validator of a record type (False if it cannot be built)."""
        validator = self._codes.get(record_type)
        if validator is None:
            validator = self._codes[record_type] = self._compile_codes_validator(record_type)
        return validator

    def codes_current(self, record: Any, record_type: str) -> bool:
        """True when every code in the record is listed and not deprecated, and every
        free text clean (at C speed).

        A second jsonschema_rs validator, compiled from copies of the schemas in which
        every codelist field accepts only the current codes of its codelist, answers
        this without walking the record in Python; only records it rejects need the
        codelist check. Call it only for records the schema accepts.
        """
        validator = self._codes_validator(record_type)
        return validator is not False and answer(validator.is_valid, record)

    def valid_with_current_codes(self, record: Any, record_type: str) -> bool:
        """True when the record certainly passes its schema, every code in it is current
        and every free text clean.

        One call of the current-codes validator answers both questions for the
        usual, valid record: it checks everything the schema checks, and more,
        as long as no codelist field sits where a stricter value could make the
        record *more* valid (under ``not``, ``if`` or ``oneOf``); for schemas
        where one might, this answers False and both validators run.
        """
        accepts = self.accepts_usual(record_type)
        return accepts is not None and answer(accepts, record)

    def accepts_usual(self, record_type: str) -> Callable[[Any], bool] | None:
        """The current-codes validator's ``is_valid``, when its yes means "valid" too.

        That is :meth:`valid_with_current_codes` without its steps, for loops
        over millions of records; None when that method would answer False
        for every record. It may raise what ``is_valid`` raises for values no
        JSON text holds.
        """
        validator = self._codes_validator(record_type)
        if validator is False or not self._codes_imply_schema:
            return None
        is_valid: Callable[[Any], bool] = validator.is_valid
        return is_valid

    def accepts_known(
        self, record_type: str, references: Mapping[str, Sequence[str]]
    ) -> Callable[[Any], bool] | None:
        """Like :meth:`accepts_usual`, also saying that every reference names a known id.

        ``references`` gives, by target record type, the identifiers known:
        a reference field to one of those types accepts only them (an
        ``enum``, which jsonschema_rs looks up in constant time). So its yes
        also means that no reference of those types needs to be looked up.
        None when no such validator can be built.
        """
        if self.accepts_usual(record_type) is None:
            return None
        copies, implied = self._codes_copies(references)
        if not implied:
            return None
        validator = self._validator_of(copies, record_type)
        if validator is False:
            return None
        is_valid: Callable[[Any], bool] = validator.is_valid
        return is_valid

    def _compile_codes_validator(self, record_type: str) -> Any:
        copies, implied = self._current_codes_copies()
        self._codes_imply_schema = self._codes_imply_schema and implied
        return self._validator_of(copies, record_type)

    @cached_property
    def _current_codes_copies_kept(self) -> tuple[dict[str, Any], bool]:
        codelists = self.schema_set.codelists
        try:
            key = digest_of(
                orjson.dumps(dict(self.schema_set.schemas), option=orjson.OPT_SORT_KEYS),
                orjson.dumps(
                    {name: [list(c.codes), sorted(c.deprecated)] for name, c in codelists.items()},
                    option=orjson.OPT_SORT_KEYS,
                ),
                # The copying rules themselves: a changed rule never reads an old copy.
                _CODES_COPIES_CODE,
                CLEAN_TEXT_PATTERN,
            )
        except TypeError:  # a value orjson cannot write: copied every time
            return self._codes_copies({})
        return cached(
            "codes-copies",
            key,
            lambda: self._codes_copies({}),
            dump=list,
            load=lambda kept: (dict(kept[0]), bool(kept[1])),
        )

    def _current_codes_copies(self) -> tuple[dict[str, Any], bool]:
        """:meth:`_codes_copies` without references, made once per schema set and kept in
        hsdata's cache between runs (copying every schema is most of a small run's work)."""
        return self._current_codes_copies_kept

    def _codes_copies(self, references: Mapping[str, Sequence[str]]) -> tuple[dict[str, Any], bool]:
        """Copies of the schemas in which codelist fields accept only current codes,
        free-text fields only clean text (see :mod:`._text`), and reference fields to
        the types in ``references`` only the ids given; and whether a record valid
        against the copies is certainly valid against the schemas."""
        codelists = self.schema_set.codelists
        copies = copy.deepcopy(dict(self.schema_set.schemas))
        stack: list[Any] = [(node, False) for node in copies.values()]
        implied = True
        while stack:
            node, guarded = stack.pop()
            if isinstance(node, dict):
                name = node.get("codelist")
                listed = codelists.get(name) if isinstance(name, str) else None
                if listed is not None and "openCodelist" in node:
                    node["enum"] = [c for c in listed.codes if c not in listed.deprecated]
                    implied = implied and not guarded
                if is_free_text(node):
                    # The text checks' findings, settled by the same yes (see _text).
                    node["pattern"] = CLEAN_TEXT_PATTERN
                    implied = implied and not guarded
                target = node.get("recordRef")
                if isinstance(target, str) and target in references:
                    node["enum"] = list(references[target])
                    implied = implied and not guarded
                if guarded and "$ref" in node:
                    implied = False  # a codelist field may hide behind the reference
                for key, value in node.items():
                    stack.append((value, guarded or key in _NON_MONOTONIC))
            elif isinstance(node, list):
                stack.extend((item, guarded) for item in node)
        return copies, implied

    def _validator_of(self, copies: dict[str, Any], record_type: str) -> Any:
        schema_id = self.schema_set.schema_id(record_type)
        schema = copies[schema_id]
        try:
            fragments = self.fragments_of(record_type) if self.fragments_of is not None else ()
        except SchemaError:
            return False  # schemas the checks cannot read: the full checks run, and report
        if fragments:
            schema = {"$schema": _DRAFT_2020_12, "allOf": [{"$ref": schema_id}, *fragments]}
        try:
            registry = jsonschema_rs.Registry(list(copies.items()), retriever=_refuse_retrieval)
            return jsonschema_rs.validator_for(
                schema,
                registry=registry,
                retriever=_refuse_retrieval,
                validate_formats=False,
            )
        except (jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError, ValueError):
            return False  # the codelist check then runs on every record

    def slow(self, record_type: str) -> Any:
        """The python-jsonschema validator of a record type (for detailed errors)."""
        validator = self._slow.get(record_type)
        if validator is None:
            validator = EcmaDraft202012Validator(
                self.schema_set.record_schema(record_type), registry=self.schema_set.registry
            )
            self._slow[record_type] = validator
        return validator

    def slow_for_fields(self, record_type: str, failing: frozenset[str]) -> Any:
        """A python-jsonschema validator that checks only the ``failing`` top-level fields.

        The record schema's other ``properties`` become ``true``: their names still
        count as known (for ``additionalProperties``) and every keyword of the
        record itself still applies, so a record gives the errors of the full
        validator in those fields, in the same order, and no others.
        """
        key = (record_type, failing)
        validator = self._narrowed.get(key)
        if validator is None:
            schema = self.schema_set.record_schema(record_type)
            properties = schema.get("properties")
            if not isinstance(properties, dict) or len(self._narrowed) >= _MAX_NARROWED:
                return self.slow(record_type)
            narrowed = dict(schema)
            narrowed["properties"] = {
                name: sub if name in failing else True for name, sub in properties.items()
            }
            validator = EcmaDraft202012Validator(narrowed, registry=self.schema_set.registry)
            self._narrowed[key] = validator
        return validator

    def closed_enum_paths(self, record_type: str) -> frozenset[FieldPath]:
        """Fields whose ``enum`` repeats a closed codelist (reported by the codelist check)."""
        paths = self._closed_enum_paths.get(record_type)
        if paths is None:
            paths = frozenset(
                f.path for f in self.schema_set.codelist_fields_of(record_type) if not f.open
            )
            self._closed_enum_paths[record_type] = paths
        return paths


#: The compiled rules of the current-codes copies, part of their cache key.
_CODES_COPIES_CODE = CompiledSchemas._codes_copies.__code__.co_code

#: The most narrowed validators kept (one per record type and set of failing fields).
_MAX_NARROWED = 256


def _failing_fields(fast: Any, record: dict[str, Any]) -> frozenset[str] | None:
    """The top-level fields jsonschema_rs finds errors in; None if it cannot say."""
    try:
        return frozenset(
            str(path[0]) for error in fast.iter_errors(record) if (path := error.instance_path)
        )
    except ValueError:  # jsonschema_rs refuses to copy very deep values into its errors
        return None


# -- turning python-jsonschema errors into issues -----------------------------------------------

_TYPE_WORDS: dict[str, str] = {
    "string": tr("text"),
    "integer": tr("a whole number"),
    "number": tr("a number"),
    "object": tr("an object ({{ ... }})"),
    "array": tr("a list ([ ... ])"),
    "boolean": tr("true or false"),
    "null": "null",
}
_SIZE_KEYWORDS = {
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
}
_RANGE_KEYWORDS = {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"}


def _generic_path(parts: list[Any]) -> FieldPath:
    return tuple("*" if isinstance(p, int) else str(p) for p in parts)


def _suggest(name: str, choices: list[str]) -> str | None:
    lowered = {c.lower(): c for c in choices}
    if name.lower() in lowered:
        return lowered[name.lower()]
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    if close:
        return close[0]
    close = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[close[0]] if close else None


def _one_of_words(names: list[str]) -> str:
    quoted = [shown(n) for n in names]
    if len(quoted) == 1:
        return quoted[0]
    return tr("{first} or {second}", first=", ".join(quoted[:-1]), second=quoted[-1])


def _alternative_required(error: Any) -> list[str] | None:
    """The field names of an anyOf/oneOf whose branches each only require one field."""
    branches = error.validator_value
    if not isinstance(branches, list):
        return None
    names: list[str] = []
    for branch in branches:
        if not (isinstance(branch, dict) and set(branch) == {"required"}):
            return None
        names.extend(branch["required"])
    return names


def conditions_of(root: dict[str, Any], schema_path: list[Any]) -> list[tuple[str, Any]] | None:
    """The fields and values an if/then requires its fields under, for an error inside
    the ``then``; None when the error is not inside one.

    A value is a list when the ``if`` allows several (``enum``); a field the
    ``if`` only asks to be present has the value ``...``.

    >>> schema = {"allOf": [{"if": {"properties": {"type": {"const": "state"}},
    ...                             "required": ["type"]},
    ...                      "then": {"required": ["country"]}}]}
    >>> conditions_of(schema, ["allOf", 0, "then", "required"])
    [('type', 'state')]
    >>> conditions_of(schema, ["required"]) is None
    True
    """
    if "then" not in schema_path:
        return None
    node: Any = root
    for part in schema_path[: schema_path.index("then")]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return []
    condition = node.get("if", {}) if isinstance(node, dict) else {}
    if not isinstance(condition, dict):
        return []
    found: list[tuple[str, Any]] = []
    properties = condition.get("properties", {})
    for name, sub in properties.items() if isinstance(properties, dict) else ():
        if isinstance(sub, dict) and "const" in sub:
            found.append((str(name), sub["const"]))
        elif isinstance(sub, dict) and isinstance(sub.get("enum"), list):
            found.append((str(name), list(sub["enum"])))
    required = condition.get("required", [])
    for name in required if isinstance(required, list) else ():
        if name not in properties:
            found.append((str(name), ...))
    return found


def _condition_words(conditions: list[tuple[str, Any]], *, nested: bool) -> str:
    """How the condition reads after the record's noun (``of type 'state'``), or after
    'when' for a nested object (``its 'type' is 'state'``); each condition is a message."""
    parts: list[str] = []
    for name, value in conditions:
        if value is ...:
            parts.append(
                tr("it has a {name}", name=shown(name))
                if nested
                else tr("that has a {name}", name=shown(name))
            )
            continue
        if isinstance(value, list):
            is_what = _one_of_words([str(v) for v in value])
        else:
            is_what = shown(value)
        if nested:
            parts.append(tr("its {name} is {value}", name=shown(name), value=is_what))
        elif name == "type" and not isinstance(value, list):
            parts.append(tr("of type {value}", value=is_what))
        else:
            parts.append(tr("whose {name} is {value}", name=shown(name), value=is_what))
    words = parts[-1]
    for part in reversed(parts[:-1]):
        words = tr("{first} and {rest}", first=part, rest=words)
    return words


def required_message(
    record_type: str,
    pointer: str,
    missing: str,
    conditions: list[tuple[str, Any]] | None,
    title: str | None = None,
) -> str:
    """What to say when a required field is missing, saying when it is required.

    >>> required_message("actor", "", "country", [("type", "state")], "Country code")
    "an actor of type 'state' must have the field 'country' (country code)"
    >>> required_message("actor", "", "name", None)
    "the required field 'name' is missing (every actor must have it)"
    >>> required_message("event", "/location", "name", None)
    "the required field 'name' is missing (in location)"
    >>> required_message("event", "/location", "name", [("kind", ["city", "town"])])
    "location must have the field 'name' when its 'kind' is 'city' or 'town'"
    """
    described = f" ({title[:1].lower() + title[1:]})" if title else ""
    if conditions:
        whom = record_noun(record_type) if not pointer else field_name(pointer)
        words = _condition_words(conditions, nested=bool(pointer))
        if pointer:
            return tr(
                "{whom} must have the field {field}{described} when {words}",
                whom=whom,
                field=shown(missing),
                described=described,
                words=words,
            )
        return tr(
            "{whom} {words} must have the field {field}{described}",
            whom=whom,
            words=words,
            field=shown(missing),
            described=described,
        )
    if conditions is not None:  # an if/then hsdata cannot put in words
        where = (
            field_name(pointer) if pointer else tr("this {record_type}", record_type=record_type)
        )
        return tr(
            "{where} must have the field {field}{described} in this case",
            where=where,
            field=shown(missing),
            described=described,
        )
    if pointer:
        return tr(
            "the required field {field} is missing (in {place})",
            field=shown(missing),
            place=field_name(pointer),
        )
    return tr(
        "the required field {field} is missing (every {record_type} must have it)",
        field=shown(missing),
        record_type=record_type,
    )


def _field_title(root: dict[str, Any], pointer: str, name: str) -> str | None:
    """The title of a top-level field of a record (nested fields are not looked up)."""
    if pointer:
        return None
    field_schema = root.get("properties", {}).get(name)
    title = field_schema.get("title") if isinstance(field_schema, dict) else None
    return title if isinstance(title, str) else None


@dataclass
class _Context:
    record: dict[str, Any]
    record_type: str
    compiled: CompiledSchemas
    root: dict[str, Any]
    suggested: set[tuple[str, str]] = field(default_factory=set)  # (object pointer, field)


def _unknown_field_issues(error: Any, ctx: _Context) -> list[Issue]:
    instance = error.instance
    if not isinstance(instance, dict):
        return []
    allowed = list(error.schema.get("properties", {}))
    patterns = [ecma_regex(p) for p in error.schema.get("patternProperties", {})]
    base = pointer_of(list(error.absolute_path))
    issues = []
    for name in instance:
        if name in allowed or any(p.search(name) for p in patterns):
            continue
        suggestion = _suggest(name, [a for a in allowed if a not in instance])
        where = (
            tr("in {place}", place=field_name(base))
            if base
            else tr("in this {record_type}", record_type=ctx.record_type)
        )
        if suggestion is not None:
            message = tr(
                "unknown field {field} {where}: did you mean {suggestion}?",
                field=shown(name),
                where=where,
                suggestion=shown(suggestion),
            )
            ctx.suggested.add((base, suggestion))
        else:
            message = tr(
                "unknown field {field} {where}; the fields allowed here are {allowed}",
                field=shown(name),
                where=where,
                allowed=_one_of_words(allowed),
            )
        issues.append(make_issue("schema-unknown-field", message, pointer=f"{base}/{_esc(name)}"))
    return issues


def _esc(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _issue_for(error: Any, ctx: _Context) -> list[Issue]:
    """The issues one python-jsonschema error stands for (often exactly one, or none)."""
    keyword = error.validator
    path = list(error.absolute_path)
    pointer = pointer_of(path)
    name = field_name(pointer)
    value = error.instance
    schema = error.schema if isinstance(error.schema, dict) else {}
    schema_path: list[Any] = list(error.relative_schema_path)

    if keyword in {"additionalProperties", "unevaluatedProperties"}:
        return _unknown_field_issues(error, ctx)

    if keyword == "required":
        issues = []
        present = value if isinstance(value, dict) else {}
        for missing in error.validator_value:
            if missing in present or (pointer, missing) in ctx.suggested:
                continue
            conditions = conditions_of(ctx.root, schema_path)
            # the record's own schema: ctx.root may have fields narrowed to 'true'
            record_schema = ctx.compiled.schema_set.record_schema(ctx.record_type)
            title = _field_title(record_schema, pointer, missing) if conditions else None
            message = required_message(ctx.record_type, pointer, missing, conditions, title)
            issues.append(make_issue("schema-required", message, pointer=pointer))
        return issues

    if keyword in ("anyOf", "oneOf"):
        names = _alternative_required(error)
        if names is not None:
            if any((pointer, n) in ctx.suggested for n in names):
                return []
            return [
                make_issue(
                    "schema-alternatives",
                    tr(
                        "{name} must have at least one of the fields {fields}",
                        name=name,
                        fields=_one_of_words(names),
                    ),
                    pointer=pointer,
                )
            ]
        best = best_match(error.context or [])
        if best is not None:
            return _issue_for(best, ctx)
        return [
            make_issue(
                "schema-alternatives",
                tr("{name} fits none of the forms allowed", name=name),
                pointer=pointer,
            )
        ]

    if keyword == "type":
        expected = error.validator_value
        expected_list = expected if isinstance(expected, list) else [expected]
        words = ""
        for kind in expected_list:
            word = _TYPE_WORDS.get(str(kind), str(kind))
            words = tr("{first} or {second}", first=words, second=word) if words else word
        found = kind_of(value)
        shown_value = "" if isinstance(value, (dict, list)) else f" {shown(value)}"
        return [
            make_issue(
                "schema-type",
                tr(
                    "{name} must be {words}; found {found}{value}",
                    name=name,
                    words=words,
                    found=found,
                    value=shown_value,
                ),
                pointer=pointer,
            )
        ]

    if keyword in ("enum", "const"):
        if _generic_path(path) in ctx.compiled.closed_enum_paths(ctx.record_type):
            return []  # the codelist check reports it, with the codelist's name
        allowed = error.validator_value if keyword == "enum" else [error.validator_value]
        choices = _one_of_words([str(a) for a in allowed][:20])
        message = tr(
            "{name} must be one of {choices}; found {found}",
            name=name,
            choices=choices,
            found=shown(value),
        )
        if isinstance(value, str):
            suggestion = _suggest(value, [str(a) for a in allowed])
            if suggestion is not None:
                message = tr(
                    "{name} must be one of {choices}; found {found}: did you mean {suggestion}?",
                    name=name,
                    choices=choices,
                    found=shown(value),
                    suggestion=shown(suggestion),
                )
        return [make_issue("schema-enum", message, pointer=pointer)]

    if keyword == "pattern":
        if "propertyNames" in schema_path:
            key_pointer = f"{pointer}/{_esc(str(value))}"
            if error.validator_value == ctx.compiled.language_tag_pattern:
                message = tr(
                    "{value} in {name} is not a language tag such as 'en', 'fr' or "
                    "'fr-CA' (lowercase language, then optional parts after hyphens)",
                    value=shown(value),
                    name=name,
                )
            else:
                message = tr(
                    "the field name {value} in {name} is not allowed here",
                    value=shown(value),
                    name=name,
                )
            return [make_issue("schema-pattern", message, pointer=key_pointer)]
        if ctx.compiled.partial_date_def is not None and schema == ctx.compiled.partial_date_def:
            return [
                make_issue(
                    "date-invalid",
                    tr(
                        "{name} must be a date written as YYYY, YYYY-MM or YYYY-MM-DD; "
                        "found {found}",
                        name=name,
                        found=shown(value),
                    ),
                    pointer=pointer,
                )
            ]
        if ctx.compiled.identifier_def is not None and schema == ctx.compiled.identifier_def:
            return [
                make_issue(
                    "schema-pattern",
                    tr(
                        "{name} must be an identifier: lowercase letters and digits in words "
                        "joined by single hyphens, such as 'lysoen-partnership'; found {found}",
                        name=name,
                        found=shown(value),
                    ),
                    pointer=pointer,
                )
            ]
        title = schema.get("title")
        pattern = shown(error.validator_value)
        message = (
            tr(
                "{name} does not have the form of a {title} the standard requires "
                "(pattern {pattern}); found {found}",
                name=name,
                title=title.lower(),
                pattern=pattern,
                found=shown(value),
            )
            if isinstance(title, str)
            else tr(
                "{name} does not have the form the standard requires (pattern {pattern}); "
                "found {found}",
                name=name,
                pattern=pattern,
                found=shown(value),
            )
        )
        return [make_issue("schema-pattern", message, pointer=pointer)]

    if keyword in _SIZE_KEYWORDS:
        limit = error.validator_value
        units = {"Length": tr("characters"), "Items": tr("items"), "Properties": tr("fields")}[
            keyword.removeprefix("min").removeprefix("max")
        ]
        if keyword.startswith("min") and limit == 1:
            message = tr("{name} must not be empty", name=name)
        elif keyword.startswith("min"):
            message = tr(
                "{name} must have at least {limit} {units}", name=name, limit=limit, units=units
            )
        else:
            message = tr(
                "{name} must have at most {limit} {units}; it has {count}",
                name=name,
                limit=limit,
                units=units,
                count=len(value),
            )
        return [make_issue("schema-size", message, pointer=pointer)]

    if keyword in _RANGE_KEYWORDS:
        words = {
            "minimum": tr("at least"),
            "maximum": tr("at most"),
            "exclusiveMinimum": tr("more than"),
            "exclusiveMaximum": tr("less than"),
            "multipleOf": tr("a multiple of"),
        }[keyword]
        return [
            make_issue(
                "schema-range",
                tr(
                    "{name} must be {words} {limit}; found {found}",
                    name=name,
                    words=words,
                    limit=error.validator_value,
                    found=shown(value),
                ),
                pointer=pointer,
            )
        ]

    if keyword == "uniqueItems" and isinstance(value, list):
        seen: list[Any] = []
        repeated: Any = None
        for item in value:
            if item in seen:
                repeated = item
                break
            seen.append(item)
        return [
            make_issue(
                "schema-unique-items",
                tr("{name} lists {value} more than once", name=name, value=shown(repeated)),
                pointer=pointer,
            )
        ]

    return [
        make_issue(
            "schema-other",
            tr(
                "{name}: {detail} (schema keyword {keyword})",
                name=name,
                detail=shown(error.message, 200)[1:-1],
                keyword=shown(keyword),
            ),
            pointer=pointer,
        )
    ]


#: The rule of each jsonschema_rs error kind, for the fast validator's own errors.
_RS_RULES = {
    "Required": "schema-required",
    "AdditionalProperties": "schema-unknown-field",
    "UnevaluatedProperties": "schema-unknown-field",
    "Type": "schema-type",
    "Enum": "schema-enum",
    "Constant": "schema-enum",
    "Pattern": "schema-pattern",
    "PropertyNames": "schema-pattern",
    "MinLength": "schema-size",
    "MaxLength": "schema-size",
    "MinItems": "schema-size",
    "MaxItems": "schema-size",
    "MinProperties": "schema-size",
    "MaxProperties": "schema-size",
    "Minimum": "schema-range",
    "Maximum": "schema-range",
    "ExclusiveMinimum": "schema-range",
    "ExclusiveMaximum": "schema-range",
    "MultipleOf": "schema-range",
    "UniqueItems": "schema-unique-items",
    "AnyOf": "schema-alternatives",
    "OneOfNotValid": "schema-alternatives",
    "OneOfMultipleValid": "schema-alternatives",
}


def _by_relevance(errors: list[Any]) -> list[Any]:
    # additionalProperties first, so that a misspelling is known before 'required' is judged.
    return sorted(errors, key=lambda e: (e.validator not in ("additionalProperties",),))


def _unrepresentable_issues(
    record: Any, record_type: str, compiled: CompiledSchemas
) -> list[Issue]:
    slow = compiled.slow(record_type)
    ctx = _Context(record, record_type, compiled, slow.schema)
    issues = [i for e in _by_relevance(list(slow.iter_errors(record))) for i in _issue_for(e, ctx)]
    return issues or [
        make_issue(
            "schema-other",
            tr(
                "this {record_type} holds a value no JSON text can hold, such as text with a "
                "lone UTF-16 surrogate or an integer too large to store",
                record_type=record_type,
            ),
            pointer="",
        )
    ]


def schema_issues(record: Any, record_type: str, compiled: CompiledSchemas) -> list[Issue]:
    """The JSON Schema issues of one record, pointers relative to the record.

    Fast path: if jsonschema_rs accepts the record, there are none. Otherwise
    the detailed errors are grouped into one issue per real problem.
    """
    fast = compiled.fast(record_type)
    try:
        if fast.is_valid(record):
            return []
    except (UnicodeEncodeError, ValueError, OverflowError):
        # Values no JSON text can hold (a lone surrogate, a huge integer) reach here only
        # from records built in memory; they go to the detailed validator and are named.
        return _unrepresentable_issues(record, record_type, compiled)
    failing = _failing_fields(fast, record)
    slow = (
        compiled.slow(record_type)
        if failing is None
        else compiled.slow_for_fields(record_type, failing)
    )
    issues: list[Issue] = []
    try:
        errors = _by_relevance(list(slow.iter_errors(record)))
        ctx = _Context(record, record_type, compiled, slow.schema)
        for error in errors:
            issues.extend(_issue_for(error, ctx))
    except Unresolvable as exc:  # pragma: no cover - jsonschema_rs compiled the same refs
        raise SchemaUnusable(str(exc)) from exc
    except RecursionError:
        # python-jsonschema describes values with repr(), which recurses; a record nested
        # hundreds of levels deep is explained by the fast validator's errors instead.
        errors = []
    if not errors:
        # Never a silent pass: when the detailed validator cannot explain the failure,
        # report what the fast one saw, under the rule of its keyword.
        try:
            issues = [
                make_issue(
                    _RS_RULES.get(type(rs_error.kind).__name__, "schema-other"),
                    shown(rs_error.message, 200)[1:-1],
                    pointer=pointer_of(list(rs_error.instance_path)),
                )
                for rs_error in fast.iter_errors(record)
            ]
        except ValueError:  # jsonschema_rs refuses to copy very deep values into its errors
            issues = []
        if not issues:
            issues = [
                make_issue(
                    "json-too-deep",
                    tr(
                        "this {record_type} is invalid and nested too deeply to be explained "
                        "in detail; no hsdata record is nested more than a few levels",
                        record_type=record_type,
                    ),
                    pointer="",
                )
            ]
    unique: dict[tuple[str, str | None, str], Issue] = {}
    for issue in issues:
        unique.setdefault((issue.rule, issue.pointer, issue.message), issue)
    return list(unique.values())
