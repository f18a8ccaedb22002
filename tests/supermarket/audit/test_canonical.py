"""The verification's text path hashes exactly what record() hashed: canonical_from_text equals
_canonical(_content(row)) byte for byte, whatever the text (quotes, backslashes, control characters, CJK, emoji)."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from hypothesis import given, settings, strategies as st

from supermarket.audit.service import _canonical, _content, canonical_from_text

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=300, deadline=None)
@given(action=text, actor_name=text, role=text, subject_type=text, subject_id=text, summary=text,
       chain=text, seq=st.integers(min_value=1, max_value=2**31 - 1),
       with_actor=st.booleans(), with_store=st.booleans(),
       at=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)))
def test_text_path_is_byte_identical(action, actor_name, role, subject_type, subject_id, summary, chain, seq,
                                     with_actor, with_store, at):
    row = {"id": uuid.uuid4(), "chain": chain, "seq": seq, "at": at.replace(tzinfo=timezone.utc),
           "actor_id": uuid.uuid4() if with_actor else None, "actor_name": actor_name, "role": role,
           "store_id": uuid.uuid4() if with_store else None, "action": action, "subject_type": subject_type,
           "subject_id": subject_id, "summary": summary}
    content = _content(row)
    assert canonical_from_text(content["action"], content["actor_id"], actor_name, content["at"], chain,
                               content["id"], role, seq, content["store_id"], subject_id, subject_type,
                               summary) == _canonical(content)


def test_a_known_event():
    row = {"id": uuid.UUID(int=1), "chain": "global", "seq": 7, "at": datetime(2026, 12, 5, 1, 2, 3, 4, timezone.utc),
           "actor_id": None, "actor_name": "店长\n\"x\"", "role": "", "store_id": None, "action": "a.b",
           "subject_type": "", "subject_id": "", "summary": '{"k":"\\u0001"}'}
    got = canonical_from_text("a.b", None, "店长\n\"x\"", "2026-12-05T01:02:03.000004Z", "global",
                              "00000000-0000-0000-0000-000000000001", "", 7, None, "", "", '{"k":"\\u0001"}')
    assert got == _canonical(_content(row))
    assert b'"at":"2026-12-05T01:02:03.000004Z"' in got and b'"actor_id":null' in got
