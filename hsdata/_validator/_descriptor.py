"""The hsdata part of a package descriptor, checked against the standard's package schema.

From 1.2 the standard has a schema for what it adds to ``datapackage.json``
(``schema/<version>/package.json``): the publisher, the namespace of the
package's records, the licence, the release date and the dependencies. The
rest of the descriptor is the Data Package specification's, which
frictionless checks. Each problem is one ``package-hsdata-invalid`` issue at
its JSON Pointer in the descriptor, in words, located to its line at the end
of the run like every other issue. Versions without a package schema (1.0,
1.1) have nothing checked here.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

import jsonschema

from .._i18n import tr
from .._reporting import Issue, clean, field_name, kind_of, make_issue, pointer_escape, shown
from .._schemas import FieldPath, SchemaSet, _walk
from ._languages import (
    english_missing_issues,
    is_registered,
    unknown_tag_issue,
    unknown_tag_message,
)
from ._walks import values_at

#: The JSON types as a sentence names them.
_TYPE_WORDS = {
    "object": tr("an object written {{ ... }}"),
    "array": tr("a list written [ ... ]"),
    "string": tr("a text in quotation marks"),
    "integer": tr("a whole number"),
    "number": tr("a number"),
    "boolean": tr("true or false"),
}


def _joined(words: list[str], conjunction: str) -> str:
    """Words joined by "or" or "and", two by two, so the whole translates."""
    joined = words[0]
    for word in words[1:]:
        if conjunction == "or":
            joined = tr("{first} or {second}", first=joined, second=word)
        else:
            joined = tr("{first} and {second}", first=joined, second=word)
    return joined


def package_schema(schema_set: SchemaSet) -> dict[str, Any] | None:
    """The schema of the hsdata part of a descriptor, or None for a version without one."""
    return schema_set.schemas.get(
        f"https://w3id.org/hsdata/schema/{schema_set.version}/package.json"
    )


def _pointer(parts: Any) -> str:
    return "".join("/" + pointer_escape(str(part)) for part in parts)


def _where(pointer: str) -> str:
    return tr("the descriptor") if not pointer else field_name(pointer)


def _form_words(node: Mapping[str, Any]) -> str:
    """What a value of a pattern-checked field must look like, from its schema."""
    title = node.get("title")
    if node.get("format") == "date-time":
        return tr(
            "a date and time in UTC written YYYY-MM-DDThh:mm:ssZ, such as '2026-12-01T09:30:00Z'"
        )
    if title == "Namespace":
        return tr("an absolute http or https web address ending in '/'")
    if title == "Web address":
        return tr("an absolute http or https web address without spaces")
    if title == "SHA-256 digest":
        return tr("64 lowercase hexadecimal digits")
    if title == "Prefix":
        return tr("lowercase letters and digits in words joined by single hyphens, such as 'hsca'")
    if title == "Multilingual text":
        return tr("a language tag such as 'en', 'fr' or 'nb'")
    return tr(
        "of the form the package schema gives ({pattern})", pattern=shown(node.get("pattern"), 80)
    )


def _names_in_object(error: Any) -> list[str]:
    """The properties the failing object's schema names."""
    properties = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
    return list(properties) if isinstance(properties, dict) else []


def _hint(name: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.7)
    return tr("; did you mean {suggestion}?", suggestion=shown(close[0])) if close else ""


def _required_words(schema: Mapping[str, Any], key: str) -> str:
    subschema = schema.get("properties", {}).get(key, {})
    description = subschema.get("description") if isinstance(subschema, dict) else None
    if not isinstance(description, str) or not description:
        return ""
    first = description.split(". ")[0].rstrip(".")
    return f" ({first[:1].lower()}{first[1:]})"


def _issues_for(error: Any, version: str, file: str, root: Mapping[str, Any]) -> Iterator[Issue]:
    pointer = _pointer(error.absolute_path)
    where = _where(pointer)
    instance = error.instance
    keyword = error.validator

    def issue(message: str, at: str = pointer) -> Issue:
        return make_issue("package-hsdata-invalid", message, file=file, pointer=at)

    if "propertyNames" in error.absolute_schema_path:
        key = str(instance)
        at = f"{pointer}/{pointer_escape(key)}"
        if not pointer:  # the descriptor's own keys: only the hsdata: keys the standard defines
            known = [k for k in root.get("properties", {}) if k.startswith("hsdata:")]
            yield issue(
                tr(
                    "the descriptor has the key {key}, which hsdata {version} does not "
                    "define{hint}",
                    key=shown(key),
                    version=version,
                    hint=_hint(key, known),
                ),
                at,
            )
        else:
            yield issue(
                tr(
                    "{where} has a text in the language {key}, which is not {form}",
                    where=where,
                    key=shown(key),
                    form=_form_words(error.schema)
                    if keyword == "pattern"
                    else tr("a language tag"),
                ),
                at,
            )
        return
    if keyword == "required":
        for key in error.validator_value:
            if isinstance(instance, dict) and key not in instance:
                words = _required_words(error.schema, key)
                yield issue(
                    tr(
                        "{where} has no {key}, which hsdata {version} requires{words}",
                        where=where,
                        key=key,
                        version=version,
                        words=words,
                    )
                )
        return
    if keyword == "additionalProperties" and isinstance(instance, dict):
        known = _names_in_object(error)
        for key in instance:
            if key not in known:
                yield issue(
                    tr(
                        "{where} has the field {key}, which hsdata {version} does not define "
                        "there (its fields: {fields}){hint}",
                        where=where,
                        key=shown(key),
                        version=version,
                        fields=", ".join(known),
                        hint=_hint(key, known),
                    ),
                    f"{pointer}/{pointer_escape(key)}",
                )
        return
    if keyword == "type":
        expected = error.validator_value
        names = expected if isinstance(expected, list) else [expected]
        wanted = _joined([_TYPE_WORDS.get(str(n), str(n)) for n in names], "or")
        yield issue(
            tr(
                "{where} must be {wanted}, not {found}",
                where=where,
                wanted=wanted,
                found=kind_of(instance),
            )
        )
        return
    if keyword == "pattern":
        yield issue(
            tr(
                "{where} is {value}, which is not {form}",
                where=where,
                value=shown(instance),
                form=_form_words(error.schema),
            )
        )
        return
    if keyword == "const":
        expected = shown(error.validator_value)
        yield issue(
            tr(
                "{where} is {value}; this package schema is for {expected}",
                where=where,
                value=shown(instance),
                expected=expected,
            )
        )
        return
    if keyword == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value)
        yield issue(
            tr(
                "{where} is {value}, which is not one of {allowed}",
                where=where,
                value=shown(instance),
                allowed=allowed,
            )
        )
        return
    if keyword == "minItems":
        yield issue(
            tr(
                "{where} is an empty list; it must have at least {count}",
                where=where,
                count=error.validator_value,
            )
        )
        return
    if keyword == "minLength":
        yield issue(tr("{where} is empty", where=where))
        return
    if keyword == "minProperties":
        yield issue(tr("{where} is empty: it must have at least one entry", where=where))
        return
    if keyword == "anyOf" and all(
        isinstance(option, dict) and set(option) == {"required"} for option in error.validator_value
    ):
        options = [_joined(list(option["required"]), "and") for option in error.validator_value]
        yield issue(tr("{where} must have {options}", where=where, options=_joined(options, "or")))
        return
    if keyword == "uniqueItems":
        yield issue(tr("{where} lists the same entry twice", where=where))
        return
    yield issue(
        tr(
            "{where} does not follow the package schema: {message}",
            where=where,
            message=clean(error.message, 200),
        )
    )


def _duplicate_prefixes(descriptor: Mapping[str, Any], file: str) -> Iterator[Issue]:
    declared = descriptor.get("hsdata:dependencies")
    seen: dict[str, int] = {}
    for index, entry in enumerate(declared if isinstance(declared, list) else []):
        prefix = entry.get("prefix") if isinstance(entry, dict) else None
        if not isinstance(prefix, str):
            continue
        if prefix in seen:
            pointer = f"/hsdata:dependencies/{index}/prefix"
            yield make_issue(
                "package-hsdata-invalid",
                tr(
                    "{name} is {prefix}, which hsdata:dependencies[{index}] already declares; "
                    "a prefix names one package",
                    name=field_name(pointer),
                    prefix=shown(prefix),
                    index=seen[prefix],
                ),
                file=file,
                pointer=pointer,
            )
        else:
            seen[prefix] = index


def descriptor_issues(
    descriptor: Mapping[str, Any], schema_set: SchemaSet, file: str
) -> list[Issue]:
    """The problems of the hsdata part of a descriptor (none for a version without a
    package schema), each placed at its pointer in ``file``."""
    schema = package_schema(schema_set)
    if schema is None:
        return []
    validator = jsonschema.Draft202012Validator(schema, registry=schema_set.registry)
    errors = sorted(
        validator.iter_errors(descriptor), key=lambda e: [str(p) for p in e.absolute_path]
    )
    issues: list[Issue] = []
    required_seen: set[tuple[str, ...]] = set()
    for error in errors:
        if error.validator == "required":
            # jsonschema gives one "required" error per missing key, and _issues_for names
            # every missing key of the object at once: one error per object is enough.
            place = (_pointer(error.absolute_path), _pointer(error.absolute_schema_path))
            if place in required_seen:
                continue
            required_seen.add(place)
        issues.extend(_issues_for(error, schema_set.version, file, schema))
    issues.extend(_duplicate_prefixes(descriptor, file))
    issues.extend(_language_issues(descriptor, schema_set, schema, file))
    return issues


def _language_issues(
    descriptor: Mapping[str, Any], schema_set: SchemaSet, schema: dict[str, Any], file: str
) -> list[Issue]:
    """The descriptor's multilingual texts (the publisher's name...) checked as a record's
    are: registered language tags, and English recommended."""
    maps: list[FieldPath] = []
    for path, subschema in _walk(schema, (), schema["$id"], schema_set.registry):
        names = subschema.get("propertyNames")
        if isinstance(names, dict) and "pattern" in names and path not in maps:
            maps.append(path)
    found = [
        (pointer, "", texts) for path in maps for pointer, texts in values_at(descriptor, path)
    ]
    issues = english_missing_issues(found)
    for pointer, _, texts in found:
        for tag in texts if isinstance(texts, dict) else ():
            if isinstance(tag, str) and not is_registered(tag):
                where = f"{pointer}/{pointer_escape(tag)}"
                what = tr(
                    "{name} has a text in the language {tag}",
                    name=field_name(pointer),
                    tag=shown(tag),
                )
                issues.append(
                    unknown_tag_issue(schema_set.version, unknown_tag_message(what, tag), where)
                )
    return [replace(issue, file=file) for issue in issues]
