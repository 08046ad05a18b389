#!/usr/bin/env bash
# docs/architecture.md stays true: every path it names in `backticks` (a
# token with a slash, or a file name with a source extension) exists in the
# tree; a bare file name must exist somewhere under the repository.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
doc="$root/docs/architecture.md"
[ -f "$doc" ] || { echo "missing docs/architecture.md"; exit 1; }

missing=0 checked=0
while IFS= read -r tok; do
    case "$tok" in
        *[!A-Za-z0-9_./-]*) continue ;;               # not a path (spaces, <, :, ...)
    esac
    case "$tok" in
        */*|*.c|*.h|*.py|*.lua|*.sh|*.md|*.json|*.rb|*.def|*.txt) ;;
        *) continue ;;
    esac
    checked=$((checked + 1))
    if [[ "$tok" == */* ]]; then
        [ -e "$root/${tok%/}" ] && continue
    else
        [ -n "$(find "$root" -path "$root/build*" -prune -o -path "$root/.venv" -prune -o -name "$tok" -print -quit)" ] \
            && continue
    fi
    echo "docs/architecture.md names $tok, which does not exist"
    missing=1
done < <(grep -o '`[^`]*`' "$doc" | tr -d '`' | tr ', ' '\n\n' | sed '/^$/d' | sort -u)

[ "$checked" -gt 20 ] || { echo "only $checked paths found in docs/architecture.md: the check is not reading it"; exit 1; }
[ "$missing" -eq 0 ] && echo "ok: $checked paths of docs/architecture.md exist"
exit "$missing"
