"""Validate SARIF logs written by `preflight check --format sarif` against the SARIF 2.1.0 schema.

Usage: validate_sarif.py SCHEMA LOG...
The schema comes from an npm package that ships it (see tests/browser/package.json); the
validator is Python's `jsonschema`, chosen from the schema's own `$schema` (draft-04).
"""

import json
import pathlib
import sys

from jsonschema.validators import validator_for


def main(argv):
    schema = json.loads(pathlib.Path(argv[1]).read_text(encoding="utf-8"))
    cls = validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    failed = 0
    for raw in argv[2:]:
        log = json.loads(pathlib.Path(raw).read_text(encoding="utf-8"))
        errors = sorted(validator.iter_errors(log), key=str)
        results = sum(len(run.get("results", [])) for run in log.get("runs", []))
        if errors:
            failed += 1
            for error in errors[:10]:
                print(f"{raw}: {'/'.join(map(str, error.absolute_path))}: {error.message}")
        elif results == 0:
            failed += 1
            print(f"{raw}: no results; the check cannot tell a valid log from an empty one")
        else:
            print(f"{raw}: valid SARIF 2.1.0 ({results} results)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
