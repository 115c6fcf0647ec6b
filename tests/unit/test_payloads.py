"""Ids and form metadata from outside: only what our tables and our own messages can hold."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smmbot.domain.payloads import (
    MAX_RECORD_ID,
    TamperedPayloadError,
    button_record_id,
    form_metadata,
    metadata_record_id,
    parse_record_id,
    read_form_metadata,
)


@pytest.mark.parametrize(
    ("typed", "number"),
    [("12", 12), ("#12", 12), (" 7 ", 7), (str(MAX_RECORD_ID), MAX_RECORD_ID)],
)
def test_ids_people_type(typed: str, number: int) -> None:
    assert parse_record_id(typed) == number


@pytest.mark.parametrize(
    "typed", ["0", "-1", "1.5", "1e9", "abc", "", str(MAX_RECORD_ID + 1), "9" * 20, "١٢"]
)
def test_what_no_row_can_have_is_none(typed: str) -> None:
    assert parse_record_id(typed) is None


@given(st.text(max_size=30))
def test_any_text_is_an_id_in_range_or_none(typed: str) -> None:
    number = parse_record_id(typed)
    assert number is None or 1 <= number <= MAX_RECORD_ID


def test_a_button_value_that_is_no_id_is_tampered() -> None:
    assert button_record_id("3") == 3
    with pytest.raises(TamperedPayloadError):
        button_record_id("99999999999999999999")


@pytest.mark.parametrize("text", ["nope", "[1]", '"x"', "null"])
def test_metadata_that_is_no_object_is_tampered(text: str) -> None:
    with pytest.raises(TamperedPayloadError):
        form_metadata(text)


def test_metadata_values_are_checked_by_kind() -> None:
    metadata = form_metadata('{"item": 4, "draft": "5", "channel": {"id": 1}, "bad": true}')
    assert metadata_record_id(metadata, "item") == 4
    assert metadata_record_id(metadata, "draft") == 5
    assert read_form_metadata('{"channel": {"id": 1}}').channel is None
    assert form_metadata("") == {}
    for key in ("bad", "missing", "channel"):
        with pytest.raises(TamperedPayloadError):
            metadata_record_id(metadata, key)


def test_read_metadata_checks_the_declared_ids_and_keeps_the_texts() -> None:
    text = '{"item": 4, "channel": "C1", "lang": "", "campaign": "Promo"}'
    metadata = read_form_metadata(text, ids=("item",), optional_ids=("draft_id",))
    assert metadata.ids == {"item": 4}
    assert metadata.channel == "C1" and metadata.text("campaign") == "Promo"
    assert metadata.text("lang") == "" and metadata.text("missing") == ""
    assert read_form_metadata("{}").channel is None


@pytest.mark.parametrize(
    ("text", "ids", "optional_ids"),
    [
        ("{}", ("item",), ()),
        ('{"item": "x"}', ("item",), ()),
        ('{"item": 0}', ("item",), ()),
        ('{"draft_id": true}', (), ("draft_id",)),
        ('{"draft_id": 99999999999}', (), ("draft_id",)),
        ("[1]", (), ()),
    ],
)
def test_read_metadata_refuses_what_our_forms_never_store(
    text: str, ids: tuple[str, ...], optional_ids: tuple[str, ...]
) -> None:
    with pytest.raises(TamperedPayloadError):
        read_form_metadata(text, ids=ids, optional_ids=optional_ids)
