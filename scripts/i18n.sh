#!/usr/bin/env bash
# Refresh the desk app's gettext catalogs: extract the strings, merge them into each
# language's .po (new ones arrive untranslated), compile the .mo files the app loads.
set -euo pipefail
cd "$(dirname "$0")/.."
locale=ptsa_tui/locale
.venv/bin/pybabel extract -k N_ --no-location --sort-output --project ptsa \
    -o "$locale/ptsa.pot" ptsa_tui/screens
for lang in id en; do
    if [ -f "$locale/$lang/LC_MESSAGES/ptsa.po" ]; then
        .venv/bin/pybabel update --no-fuzzy-matching --ignore-obsolete -D ptsa \
            -i "$locale/ptsa.pot" -d "$locale" -l "$lang"
    else
        .venv/bin/pybabel init -D ptsa -i "$locale/ptsa.pot" -d "$locale" -l "$lang"
    fi
done
.venv/bin/pybabel compile --use-fuzzy -D ptsa -d "$locale"
