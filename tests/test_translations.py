"""The English catalogue is complete, keeps every placeholder, and is up to date with the code.

Chinese is the source language; these tests catch a string added to the code without `make messages`
(it would show in Chinese on English pages) and a translation that was left empty, left fuzzy (a guess by
`pybabel update`, usually wrong) or lost a placeholder (a KeyError or a wrong value when formatted).
"""
from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
EN_PO = ROOT / "supermarket" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
BABEL_CFG = ROOT / "babel.cfg"
# The keywords `make messages` adds with -k (pybabel keeps the default ones too).
EXTRA_KEYWORDS = ["_l", "lazy_gettext"]

# A python-format placeholder: %(name)s, %(n)d, %(x).2f, ... -> (name, conversion)
PLACEHOLDER = re.compile(r"%\((?P<name>[^)]+)\)[#0 +-]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[hlL]?(?P<conv>[diouxXeEfFgGcrsa])")


def _catalog():
    with EN_PO.open("rb") as f:
        return read_po(f, locale="en")


def _forms(value) -> list[str]:
    """A msgid or msgstr as a list of its strings (plural entries are tuples)."""
    if isinstance(value, (tuple, list)):
        return [v or "" for v in value]
    return [value or ""]


def _placeholders(text: str) -> set[tuple[str, str]]:
    return {(m["name"], m["conv"]) for m in PLACEHOLDER.finditer(text)}


def test_english_catalogue_is_complete_and_keeps_placeholders():
    catalog = _catalog()
    problems = []
    for message in catalog:  # obsolete (#~) entries are not iterated
        if not message.id:
            continue  # the header
        msgid = _forms(message.id)[0]
        strings = _forms(message.string)
        if message.fuzzy:
            problems.append(f"fuzzy: {msgid!r} -> {strings!r}")
        if not all(s.strip() for s in strings):
            problems.append(f"untranslated: {msgid!r}")
            continue
        expected = set().union(*(_placeholders(s) for s in _forms(message.id)))
        for s in strings:
            got = _placeholders(s)
            if got != expected:
                problems.append(f"placeholders differ: {msgid!r} has {sorted(expected)}, {s!r} has {sorted(got)}")
    assert not problems, f"{len(problems)} problem(s) in {EN_PO.relative_to(ROOT)}:\n" + "\n".join(problems)


def test_english_catalogue_has_every_message_in_the_code():
    """Extract as `make messages` does (pybabel extract -F babel.cfg -k _l -k lazy_gettext .) and look up
    every msgid in the en catalogue; run `make messages` and translate the new entries when this fails."""
    with BABEL_CFG.open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f, str(BABEL_CFG))
    keywords = dict(DEFAULT_KEYWORDS)
    keywords.update(parse_keywords(EXTRA_KEYWORDS))
    catalog = _catalog()
    extracted = 0
    missing = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
            ROOT, method_map, options_map, keywords=keywords):
        msgid = _forms(message)[0]
        if not msgid:
            continue
        extracted += 1
        if catalog.get(msgid, context=context) is None:
            missing.setdefault((msgid, context), []).append(f"{filename}:{lineno}")
    assert extracted > 100, f"only {extracted} messages extracted; is babel.cfg still read correctly?"
    assert not missing, (
        f"{len(missing)} message(s) in the code are missing from {EN_PO.relative_to(ROOT)} "
        "(run `make messages` and translate them):\n"
        + "\n".join(f"{msgid!r}{f' (context {ctx!r})' if ctx else ''} at {', '.join(where)}"
                    for (msgid, ctx), where in missing.items()))
