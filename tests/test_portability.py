"""The schemas mean the same to every JSON Schema implementation.

Four independent implementations give their verdict on the same instances:
python-jsonschema (formats as annotations, as hsdata runs it), jsonschema_rs,
ajv (draft 2020-12, its default strict mode, ajv-formats asserting formats,
hsdata's keywords declared as a vocabulary) and @hyperjump/json-schema. The
instances are the canonical data and the second publisher's example, plus
thousands of seeded mutations of them aimed at where implementations part:
trailing line breaks, anchors, URLs, impossible dates, wrong types, missing and
extra fields. Any disagreement fails, naming the schema, the instance and each
verdict.

Standard 1.2 must agree everywhere; 1.1 is known not to (its patterns end in
``$``, which Python also matches before a final line break, and it relies on
``format: uri``), and a test holds that the harness finds it, so the check
can fail.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
from outside_tools import require_tool
from referencing import Registry, Resource

REPO_ROOT = Path(__file__).resolve().parent.parent
HARNESS = REPO_ROOT / "tests" / "portability"
BASE = "https://w3id.org/hsdata/schema"

# The resource files of the canonical data and the example, by the schema file their records follow.
RECORD_FILES = {
    "actors.json": "actor.json",
    "partnerships.json": "partnership.json",
    "memberships.json": "membership.json",
    "issue-areas.json": "issue-area.json",
    "events.json": "event.json",
    "documents.json": "document.json",
    "sources.json": "source.json",
    "engagements.json": "engagement.json",
    "commitments.json": "commitment.json",
}

# Strings that implementations tend to read differently.
AWKWARD_STRINGS = (
    "",
    " ",
    "\n",
    "x\n",
    "Abc",
    "é",
    "a b",
    "1998-02-30",
    "1998-13",
    "1998-1-1",
    "1998-05-11\n",
    "http://",
    "https://example.org/a b",
    "https://example.org/ok",
    "https://example.org/ok\n",
    "ftp://example.org/x",
    "urn:isbn:0451450523",
    "//example.org",
    "2026-02-30T00:00:00Z",
    "2026-12-02T24:00:00Z",
    "2026-12-02T10:00:00+01:00",
    "CA",
    "XX",
    "CA-ON",
    "001",
    "Q42",
    "\u2028",
    "\ud800",
)
AWKWARD_VALUES: tuple[Any, ...] = (None, True, 0, -1, 1.5, 1e400, [], {}, ["x"], {"en": "x"})


def _node_available() -> bool:
    return shutil.which("node") is not None and (HARNESS / "node_modules" / "ajv").is_dir()


def schemas_of(version: str) -> dict[str, dict[str, Any]]:
    """Every schema of a version (not its meta-schema), by ``$id``."""
    found = {}
    for path in sorted((REPO_ROOT / "schema" / version).glob("*.json")):
        if path.name == "meta-schema.json":
            continue
        schema = json.loads(path.read_text(encoding="utf-8"))
        found[schema["$id"]] = schema
    return found


def _packages_of(version: str) -> list[Path]:
    folders = [REPO_ROOT / "data", *sorted((REPO_ROOT / "examples").glob("*/"))]
    found = []
    for folder in folders:
        descriptor = folder / "datapackage.json"
        if not descriptor.is_file():
            continue
        if json.loads(descriptor.read_text(encoding="utf-8")).get("hsdata:version") == version:
            found.append(folder)
    return found


def instances_of(version: str) -> Iterator[tuple[str, Any]]:
    """``(schema $id, instance)`` for every record and descriptor of the version's packages."""
    schemas = schemas_of(version)
    for folder in _packages_of(version):
        descriptor_id = f"{BASE}/{version}/package.json"
        if descriptor_id in schemas:
            yield descriptor_id, json.loads((folder / "datapackage.json").read_text("utf-8"))
        for file_name, schema_file in RECORD_FILES.items():
            path = folder / file_name
            if path.is_file():
                for record in json.loads(path.read_text(encoding="utf-8")):
                    yield f"{BASE}/{version}/{schema_file}", record


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))


def _replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = _replaced(value[path[0]], path[1:], new)
    return copy


def _deleted(value: Any, path: tuple[Any, ...]) -> Any:
    if len(path) == 1:
        copy = dict(value) if isinstance(value, dict) else list(value)
        del copy[path[0]]
        return copy
    return _replaced(value, path[:1], _deleted(value[path[0]], path[1:]))


def mutations(instance: Any, rng: random.Random, count: int) -> Iterator[Any]:
    """``count`` seeded variants of one instance: a value replaced, a field removed or added."""
    places = list(_leaves(instance))
    for _ in range(count):
        path = rng.choice(places)
        roll = rng.random()
        if roll < 0.55:
            yield _replaced(instance, path, rng.choice(AWKWARD_STRINGS))
        elif roll < 0.75:
            yield _replaced(instance, path, rng.choice(AWKWARD_VALUES))
        elif roll < 0.9 and path:
            yield _deleted(instance, path)
        else:
            parent = path[:-1] if path else ()
            holder: Any = instance
            for step in parent:
                holder = holder[step]
            if isinstance(holder, dict):
                extra = rng.choice(["zzz", "en", "nb", "$ref"])
                yield _replaced(instance, parent, {**holder, extra: "x"})
            else:
                yield _replaced(instance, path, "x\n")


def _pointer(path: tuple[Any, ...]) -> str:
    return "".join("/" + str(step).replace("~", "~0").replace("/", "~1") for step in path)


def field_shape_cases(instances: list[tuple[str, Any]]) -> Iterator[tuple[str, Any, str]]:
    """Every awkward value at one place of each field shape (list positions folded)."""
    first_places: dict[tuple[str, tuple[Any, ...]], tuple[Any, tuple[Any, ...]]] = {}
    for schema_id, instance in instances:
        for path in _leaves(instance):
            shape = tuple(step if isinstance(step, str) else "*" for step in path)
            first_places.setdefault((schema_id, shape), (instance, path))
    for (schema_id, _shape), (instance, path) in first_places.items():
        for value in (*AWKWARD_STRINGS, *AWKWARD_VALUES):
            yield schema_id, _replaced(instance, path, value), f"{_pointer(path)} = {value!r}"


def cases_of(version: str, per_instance: int, seed: int = 12) -> list[tuple[str, Any, str]]:
    """The version's instances, each field shape given every awkward value, and random mutations.

    Each case is ``(schema $id, instance, what was changed)``.
    """
    rng = random.Random(seed)
    instances = list(instances_of(version))
    cases: list[tuple[str, Any, str]] = [
        (sid, instance, "as published") for sid, instance in instances
    ]
    if per_instance:
        cases.extend(field_shape_cases(instances))
    for schema_id, instance in instances:
        variants = mutations(instance, rng, per_instance)
        cases.extend((schema_id, variant, "a random mutation") for variant in variants)
    return cases


def python_verdicts(schemas: dict[str, dict[str, Any]], cases: list[tuple[str, Any]]) -> list[bool]:
    registry: Registry[Any] = Registry().with_resources(
        (schema_id, Resource.from_contents(schema)) for schema_id, schema in schemas.items()
    )
    validators = {
        schema_id: jsonschema.Draft202012Validator(schema, registry=registry)
        for schema_id, schema in schemas.items()
    }
    return [validators[schema_id].is_valid(instance) for schema_id, instance in cases]


def rust_verdicts(schemas: dict[str, dict[str, Any]], cases: list[tuple[str, Any]]) -> list[bool]:
    registry = jsonschema_rs.Registry(list(schemas.items()))
    validators = {
        schema_id: jsonschema_rs.validator_for(schema, registry=registry)
        for schema_id, schema in schemas.items()
    }
    return [validators[schema_id].is_valid(instance) for schema_id, instance in cases]


def node_verdicts(
    schemas: dict[str, dict[str, Any]], cases: list[tuple[str, Any]], folder: Path
) -> dict[str, list[bool]]:
    batch = folder / "batch.json"
    batch.write_text(
        json.dumps({"schemas": list(schemas.values()), "cases": cases}), encoding="utf-8"
    )
    done = subprocess.run(
        ["node", str(HARNESS / "verdicts.mjs"), str(batch)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, f"the JavaScript validators could not run:\n{done.stderr[-3000:]}"
    verdicts: dict[str, list[bool]] = json.loads(done.stdout)
    return verdicts


def _json_safe(cases: list[tuple[str, Any, str]]) -> list[tuple[str, Any, str]]:
    """The cases JSON can carry to node (no lone surrogates, no infinities)."""
    safe = []
    for schema_id, instance, change in cases:
        try:
            text = json.dumps(instance, allow_nan=False, ensure_ascii=False)
            text.encode("utf-8")
        except (ValueError, UnicodeEncodeError):
            continue
        safe.append((schema_id, instance, change))
    return safe


def disagreements(version: str, per_instance: int, folder: Path) -> list[str]:
    schemas = schemas_of(version)
    labelled = _json_safe(cases_of(version, per_instance))
    cases = [(schema_id, instance) for schema_id, instance, _change in labelled]
    verdicts = {
        "python-jsonschema": python_verdicts(schemas, cases),
        "jsonschema_rs": rust_verdicts(schemas, cases),
        **node_verdicts(schemas, cases, folder),
    }
    found = []
    for index, (schema_id, instance, change) in enumerate(labelled):
        by_tool = {tool: answers[index] for tool, answers in verdicts.items()}
        if len(set(by_tool.values())) > 1:
            shown = json.dumps(instance, ensure_ascii=True)
            found.append(f"{schema_id} ({change}): {by_tool} on {shown[:200]}")
    return found


def test_the_harness_has_data_for_standard_1_2() -> None:
    cases = cases_of("1.2", per_instance=0)
    kinds = {schema_id.rsplit("/", 1)[1] for schema_id, _instance, _change in cases}
    assert {"package.json", "engagement.json", "commitment.json", "event.json"} <= kinds


def test_four_implementations_agree_on_standard_1_2(tmp_path: Path) -> None:
    require_tool(_node_available(), "node with tests/portability/node_modules (npm ci)")
    found = disagreements("1.2", per_instance=12, folder=tmp_path)
    assert not found, "implementations disagree:\n" + "\n".join(found[:40])


def test_the_harness_finds_the_known_disagreement_of_1_1(tmp_path: Path) -> None:
    # 1.1's patterns end in '$', which Python's re also matches before a final line break:
    # an actor id "canada\n" passes python-jsonschema and fails the others.
    require_tool(_node_available(), "node with tests/portability/node_modules (npm ci)")
    actors = REPO_ROOT / "tests" / "versions" / "canonical_1_1" / "actors.json"
    actor = json.loads(actors.read_text(encoding="utf-8"))[0]
    schemas = schemas_of("1.1")
    cases = [
        (f"{BASE}/1.1/actor.json", actor),
        (f"{BASE}/1.1/actor.json", {**actor, "id": actor["id"] + "\n"}),
    ]
    node = node_verdicts(schemas, cases, tmp_path)
    assert python_verdicts(schemas, cases) == [True, True]
    assert rust_verdicts(schemas, cases) == [True, False]
    assert node == {"ajv": [True, False], "hyperjump": [True, False]}
