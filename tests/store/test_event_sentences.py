"""Event details as sentences: each known detail becomes a phrase, an unknown one is still
shown as "key: value", and what the record keeps only for itself is left out."""

from collections.abc import Mapping

from ptsa_tui.store.event_sentences import event_phrases


def said(kind: str, details: Mapping[str, object] | None) -> str:
    return "; ".join(str(phrase) for phrase in event_phrases(kind, details))


def test_a_move_names_where_it_went_then_why() -> None:
    details = {"to": "PPTKA", "from": "BINAPENTA", "reason": "salah unit"}
    assert said("transferred", details) == "from BINAPENTA to PPTKA; reason: salah unit"


def test_an_assignment_names_the_officer_and_a_registration_the_unit_and_service() -> None:
    assert said("assigned", {"to": "p2ax"}) == "to p2ax"
    assert said("registered", {"unit": "A1", "service": "SVC-A"}) == "to A1; service SVC-A"
    assert said("registered", {"unit": "A1", "service": None}) == "to A1"


def test_an_alert_says_its_level_channel_and_recipient() -> None:
    details = {"alert": 9, "level": 2, "channel": "sms", "recipient": "+62812"}
    assert said("alert_sent", details) == "level 2; by sms; to +62812"


def test_unknown_details_are_shown_and_bookkeeping_is_not() -> None:
    details = {"reason": "dokumen kurang", "waited_s": 120, "sop_due_at": "2026-11-26", "x": 1}
    assert said("resumed", details) == "reason: dokumen kurang; x: 1"
    assert said("claimed", None) == ""
