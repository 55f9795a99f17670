"""Validate every JSON document preflight exported against its published JSON Schema.

Usage: validate_json.py SCHEMA PATH...   (PATH: a .json file or a folder searched recursively)
Uses the independent `jsonschema` package with the draft 2020-12 validator.
"""

import json
import pathlib
import sys

from jsonschema import Draft202012Validator


def documents(paths):
    for raw in paths:
        path = pathlib.Path(raw)
        if path.is_dir():
            yield from sorted(path.rglob("*.json"))
        else:
            yield path


def main(argv):
    schema = json.loads(pathlib.Path(argv[1]).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    checked = failed = 0
    for path in documents(argv[2:]):
        checked += 1
        errors = sorted(validator.iter_errors(json.loads(path.read_text(encoding="utf-8"))), key=str)
        for error in errors[:5]:
            where = "/".join(map(str, error.absolute_path))
            print(f"{path}: /{where}: {error.message[:300]}", file=sys.stderr)
        failed += bool(errors)
    if checked == 0:
        print("no JSON documents found", file=sys.stderr)
        return 1
    print(f"schema validation: {checked - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
