#!/usr/bin/env bash
# Refresh the desk app's gettext catalogs: extract the strings, merge them into each
# language's .po (new ones arrive untranslated), compile the .mo files the app loads.
set -euo pipefail
cd "$(dirname "$0")/.."
locale=ptsa_tui/locale
# The store's errors are templates too (ptsa_tui/store/errors.py): their classes are keywords.
keywords=(-k N_ -k Term -k Phrase -k PhraseError -k BadPhone)
for error in PtsaError DatabaseUnavailable InvalidInput Conflict NotFound NotAllowed TooSoon; do
    keywords+=(-k "$error")
done
.venv/bin/pybabel extract "${keywords[@]}" --no-location --sort-output --project ptsa \
    -o "$locale/ptsa.pot" ptsa_tui/screens ptsa_tui/store ptsa_tui/phone.py
for lang in id en; do
    if [ -f "$locale/$lang/LC_MESSAGES/ptsa.po" ]; then
        .venv/bin/pybabel update --no-fuzzy-matching --ignore-obsolete -D ptsa \
            -i "$locale/ptsa.pot" -d "$locale" -l "$lang"
    else
        .venv/bin/pybabel init -D ptsa -i "$locale/ptsa.pot" -d "$locale" -l "$lang"
    fi
done
.venv/bin/pybabel compile --use-fuzzy -D ptsa -d "$locale"
