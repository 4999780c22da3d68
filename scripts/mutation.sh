#!/usr/bin/env bash
# Mutation testing of the permission rules (docs/testing.md): mutmut 2 changes
# articles/actions/rules.py one small mutation at a time, in place, and runs the permission
# tests against each mutant; a mutant the tests still pass with is a "survivor".
#
#   scripts/mutation.sh            rules.py against the permission tests
#   scripts/mutation.sh guards     the guard functions of the actions (guard_editors_fields,
#                                  check_move in editing.py; standing, announce in common.py)
#   RUNNER="…" scripts/mutation.sh another test command
#   MUTMUT="/path/venv/bin/mutmut" …   a mutmut of its own venv (none is installed into .venv)
#
# On SQLite (DATABASE_URL unset) for speed. Results are kept in .mutmut-cache: a second run
# re-tests only the survivors (killed mutants stay killed). `rm .mutmut-cache` to start over.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
[ -x "$PY" ] || make install messages
if [ -z "${MUTMUT:-}" ]; then
  "$PY" -c "import mutmut, whatthepatch" 2>/dev/null || "$PY" -m pip install --quiet "mutmut[patch]>=2.4,<3"
  MUTMUT="$PY -m mutmut"
fi

PERMISSION_TESTS="tests/test_rules_mutants.py tests/test_one_door.py tests/test_rules_time.py tests/test_desk_roles.py tests/test_trash.py"
# standing() and announce() say what the public will see: tests/test_announcements.py's subject.
[ "${1:-}" = guards ] && PERMISSION_TESTS="$PERMISSION_TESTS tests/test_announcements.py"
TESTS=${TESTS:-$PERMISSION_TESTS}
RUNNER=${RUNNER:-"env -u DATABASE_URL $PY -m pytest -x -q -p no:cacheprovider $TESTS"}
ARGS=(--paths-to-mutate articles/actions/rules.py)
if [ "${1:-}" = guards ]; then
  # Only the lines of the four guard functions: mutmut takes them as a patch's added lines.
  patch=$(mktemp)
  "$PY" - "$patch" <<'PY'
import ast, sys
wanted = {"guard_editors_fields", "check_move", "standing", "announce"}
with open(sys.argv[1], "w") as out:
    for path in ("articles/actions/editing.py", "articles/actions/common.py"):
        lines = open(path).read().splitlines()
        out.write(f"diff --git {path} {path}\n--- {path}\n+++ {path}\n")
        for node in ast.parse("\n".join(lines)).body:
            if isinstance(node, ast.FunctionDef) and node.name in wanted:
                first, last = node.lineno, node.end_lineno
                out.write(f"@@ -0,0 +{first},{last - first + 1} @@\n")
                out.writelines(f"+{line}\n" for line in lines[first - 1 : last])
PY
  ARGS=(--paths-to-mutate articles/actions/editing.py,articles/actions/common.py
        --use-patch-file "$patch")
fi

status=0
$MUTMUT run "${ARGS[@]}" --tests-dir tests --runner "$RUNNER" --simple-output \
  --no-progress || status=$?
$MUTMUT results || true
# mutmut puts the original back after each mutant; make sure nothing is left mutated.
git diff --quiet -- articles/ || { echo "articles/ differs from git: a mutant was left" >&2; exit 1; }
# Exit 2 (survivors), 4 (timeouts), 8 (suspicious) are results, not failures of the script.
[ $((status & 1)) -eq 0 ]
