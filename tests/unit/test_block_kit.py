from __future__ import annotations

from smmbot.console.printer import format_reply
from smmbot.rendering import limits
from smmbot.rendering.mrkdwn import Mrkdwn, unescape_mrkdwn
from smmbot.rendering.reply import (
    Actions,
    Button,
    ButtonStyle,
    Context,
    Divider,
    Form,
    FormField,
    Header,
    Reply,
    Section,
    reply_to_data,
)
from smmbot.slack.blocks import (
    home_view,
    message_payload,
    modal_view,
    submitted_files,
    submitted_values,
)
from smmbot.slack.notifier import chat_message

REPLY = Reply(
    blocks=(
        Header("Weekly digest"),
        Section(Mrkdwn("*Reach* 1.200 &lt;b&gt;"), fields=(Mrkdwn("a"), Mrkdwn("b"))),
        Divider(),
        Context(Mrkdwn("see <https://toko.id|our site>")),
        Actions(
            (Button("Publish", "publish", "42", ButtonStyle.PRIMARY), Button("Later", "later"))
        ),
    ),
    fallback="digest",
)


def test_reply_becomes_block_kit() -> None:
    payload = message_payload(REPLY)
    assert payload["response_type"] == "ephemeral"
    assert payload["text"] == "digest"
    header, section, divider, context, actions = payload["blocks"]
    assert header == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Weekly digest", "emoji": True},
    }
    assert section["text"] == {"type": "mrkdwn", "text": "*Reach* 1.200 &lt;b&gt;"}
    assert [field["text"] for field in section["fields"]] == ["a", "b"]
    assert divider == {"type": "divider"}
    assert context["elements"][0]["type"] == "mrkdwn"
    primary, plain = actions["elements"]
    assert primary["style"] == "primary" and primary["value"] == "42"
    assert "style" not in plain


def test_public_reply_is_in_channel() -> None:
    assert (
        message_payload(Reply(blocks=(), fallback="x", public=True))["response_type"]
        == "in_channel"
    )


def test_long_text_is_clipped_to_slack_limits() -> None:
    payload = message_payload(Reply(blocks=(Section(Mrkdwn("x" * 5000)),), fallback="x"))
    assert len(payload["blocks"][0]["text"]["text"]) == limits.SECTION_TEXT


def test_a_reply_over_the_block_limit_loses_its_tail_not_the_whole_message() -> None:
    blocks = tuple(Section(Mrkdwn(f"line {n}")) for n in range(120))
    reply = Reply(blocks=blocks, fallback="x" * 50_000)
    payload = message_payload(reply)
    assert len(payload["blocks"]) == limits.MESSAGE_BLOCKS
    assert len(payload["text"]) == limits.MESSAGE_TEXT
    assert len(home_view(reply)["blocks"]) == limits.VIEW_BLOCKS
    assert limits.violations(reply) == [
        "120 blocks (at most 50)",
        "notification text of 50000 characters",
    ]


def test_chunk_lines_keeps_lines_whole_and_under_the_limit() -> None:
    lines = [f"{n:03d} " + "x" * 96 for n in range(100)]  # 100 lines of 100 characters
    chunks = limits.chunk_lines(lines, 1000)
    assert all(len(chunk) <= 1000 for chunk in chunks)
    assert "\n".join(chunks).split("\n") == lines
    assert limits.chunk_lines(["y" * 1200], 1000) == ["y" * 999 + "…"]


def test_console_shows_the_same_content_as_text() -> None:
    text = format_reply(REPLY)
    assert "Weekly digest" in text
    assert "*Reach* 1.200 <b>" in text
    assert "our site (https://toko.id)" in text
    assert "[ Publish ]  [ Later ]" in text


def test_a_file_field_is_a_file_input_below_the_intro() -> None:
    form = Form(
        "import_form",
        "Import metrics",
        "Import",
        (FormField("file", "CSV file", "up to 1 MB", required=True, file_types=("csv",)),),
        intro="Columns: `date`, `metric`, `value`",
    )
    intro, field = modal_view(form)["blocks"]
    assert intro["text"] == {"type": "mrkdwn", "text": "Columns: `date`, `metric`, `value`"}
    assert field["type"] == "input" and field["block_id"] == "file"
    assert field["optional"] is False
    assert field["element"] == {
        "type": "file_input",
        "action_id": "value",
        "filetypes": ["csv"],
        "max_files": 1,
    }


def test_uploaded_files_are_read_from_the_submitted_state() -> None:
    uploaded = {"id": "F1", "name": "m.csv", "url_private_download": "https://files.slack.com/x"}
    view = {
        "state": {
            "values": {
                "file": {"value": {"type": "file_input", "files": [uploaded]}},
                "note": {"value": {"type": "plain_text_input", "value": "hi"}},
            }
        }
    }
    assert submitted_files(view) == {"file": [uploaded]}
    assert submitted_values(view) == {"file": "", "note": "hi"}


def test_code_sections_keep_all_of_a_long_post_and_never_cut_an_entity() -> None:
    post = ("Kopi & teh <3\n" * 400).strip()  # 5,600 characters, escaped to more
    sections = limits.code_sections(post, Mrkdwn("*Facebook*"))
    assert len(sections) > 1
    assert sections[0].mrkdwn.startswith("*Facebook*\n```")
    assert all(len(section.mrkdwn) <= limits.SECTION_TEXT for section in sections)
    bodies = [section.mrkdwn.split("```")[1] for section in sections]
    assert all(body.count("&") == body.count(";") for body in bodies)  # whole entities
    assert unescape_mrkdwn("".join(bodies)) == post
    one_line = limits.code_sections("&" * 4000)
    assert unescape_mrkdwn("".join(s.mrkdwn.strip("`") for s in one_line)) == "&" * 4000


HOSTILE = "Sale <!channel> <@U0BOSS> <https://evil.example|click> & more"


def test_the_notification_text_is_escaped_like_the_blocks() -> None:
    text = message_payload(Reply(blocks=(), fallback=HOSTILE))["text"]
    assert "<" not in text and ">" not in text
    assert (
        text
        == "Sale &lt;!channel&gt; &lt;@U0BOSS&gt; &lt;https://evil.example|click&gt; &amp; more"
    )


def test_a_stored_message_sent_later_escapes_its_notification_text_too() -> None:
    stored = {"reply": reply_to_data(Reply(blocks=(), fallback=HOSTILE))}
    assert "<" not in chat_message(stored)["text"]
    assert "<" not in chat_message({"text": HOSTILE, "blocks": []})["text"]


def test_a_placeholder_is_grey_text_inside_the_input() -> None:
    field = FormField("when", "When", "e.g. 25/11/2026 09:00", placeholder="25/11/2026 09:00")
    [block] = modal_view(Form("f", "Schedule", "Schedule", (field,)))["blocks"]
    assert block["element"]["placeholder"] == {
        "type": "plain_text",
        "text": "25/11/2026 09:00",
        "emoji": True,
    }
    [plain] = modal_view(Form("f", "Schedule", "Schedule", (FormField("when", "When"),)))["blocks"]
    assert "placeholder" not in plain["element"]
