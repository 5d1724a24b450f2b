"""The e-mail channel of intake: reading a citizen's message, receiving it once as an order,
acknowledging it, and the command a mail server runs."""

import io
import logging
import mailbox
import sys
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.core import mail as outbox
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from gongkai.hotline import services
from gongkai.hotline.mail import MailError, MailErrorCode, parse
from gongkai.hotline.models import Channel, EventKind, RequestType, WorkOrder


def message(
    text: str = "东华门大街12号门前占道经营，晚上噪音扰民，已持续两周，请处理。",
    *,
    subject: str = "投诉：门前占道经营",
    sender: str = "王先生 <wang@example.cn>",
    html: str = "",
    **headers: str,
) -> bytes:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = "12345@beijing.gov.cn"
    email["Subject"] = subject
    email["Message-ID"] = headers.pop("message_id", "<m1@example.cn>")
    for name, value in headers.items():
        email[name.replace("_", "-")] = value
    if html:
        email.set_content(html, subtype="html")
    else:
        email.set_content(text)
    return email.as_bytes()


# ---- Reading a message --------------------------------------------------------------------------


def test_a_plain_message_gives_sender_subject_text_and_type() -> None:
    read = parse(message())

    assert (read.sender, read.name) == ("wang@example.cn", "王先生")
    assert read.subject == "投诉：门前占道经营"
    assert read.text.startswith("东华门大街12号门前占道经营")
    assert read.request_type == RequestType.COMPLAINT
    assert read.message_id == "<m1@example.cn>"
    assert not read.automatic


def test_an_html_only_message_is_read_as_text() -> None:
    read = parse(
        message(html="<p>请问&nbsp;社保卡<b>怎么</b>补办？</p><p>谢谢</p>", subject="社保卡")
    )

    assert read.text == "请问 社保卡怎么补办？谢谢"
    assert read.request_type == RequestType.CONSULT


def test_the_reply_address_wins_and_attachments_are_named() -> None:
    email = EmailMessage()
    email["From"] = "代发服务 <robot@example.cn>"
    email["Reply-To"] = "李女士 <li@example.cn>"
    email["Subject"] = "楼道堆物"
    email.set_content("楼道里堆满杂物，存在消防隐患。")
    email.add_attachment(b"\x89PNG", maintype="image", subtype="png", filename="现场照片.png")

    read = parse(email.as_bytes())

    assert (read.sender, read.name) == ("li@example.cn", "李女士")
    assert read.attachments == ("现场照片.png",)
    assert read.message_id.startswith("sha256:")  # none given: known by its content
    assert read.request_type == RequestType.HELP  # names no type


@pytest.mark.parametrize(
    "headers",
    [{"Auto_Submitted": "auto-replied"}, {"Precedence": "bulk"}, {"List_Id": "<news.example.cn>"}],
)
def test_machine_mail_is_recognised(headers: dict[str, str]) -> None:
    assert parse(message(**headers)).automatic
    assert parse(message(sender="MAILER-DAEMON@example.cn")).automatic


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (message(sender="undisclosed-recipients:;"), MailErrorCode.NO_SENDER),
        (message(text="  \n \n"), MailErrorCode.NO_TEXT),
        (b"", MailErrorCode.NO_SENDER),
    ],
)
def test_a_message_without_sender_or_text_is_refused(raw: bytes, code: MailErrorCode) -> None:
    with pytest.raises(MailError) as refused:
        parse(raw)
    assert refused.value.code == code


@given(st.binary(max_size=2000))
def test_any_bytes_are_read_or_refused_never_crash(raw: bytes) -> None:
    try:
        read = parse(raw)
    except MailError:
        return
    assert "@" in read.sender
    assert read.text


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1))
def test_the_text_survives_the_mail_format(text: str) -> None:
    try:
        read = parse(message(text))
    except MailError:
        assert not text.split()  # only blanks: no text to receive
        return
    assert read.text.split() == text.split()


# ---- Receiving it as an order -------------------------------------------------------------------


@pytest.fixture
def receive(django_capture_on_commit_callbacks):
    """``services.order_receive_email``, running what it leaves for after the commit."""

    def received(raw: bytes) -> tuple[WorkOrder, bool]:
        with django_capture_on_commit_callbacks(execute=True):
            return services.order_receive_email(raw=raw)

    return received


@pytest.mark.django_db
def test_an_email_becomes_an_order_and_the_sender_gets_its_number(receive) -> None:
    order, created = receive(message())

    assert created
    stored = WorkOrder.objects.get(pk=order.pk)
    assert stored.channel == Channel.EMAIL
    assert (stored.caller_email, stored.caller_name) == ("wang@example.cn", "王先生")
    assert stored.title == "投诉：门前占道经营"
    assert stored.request_type == RequestType.COMPLAINT
    assert stored.events.filter(kind=EventKind.RECEIVED).exists()
    (ack,) = outbox.outbox
    assert ack.to == ["wang@example.cn"]
    assert order.number in ack.subject
    assert order.number in ack.body
    assert ack.extra_headers["Auto-Submitted"] == "auto-replied"


@pytest.mark.django_db
def test_the_same_message_twice_makes_one_order_and_one_acknowledgement(receive) -> None:
    first, _created = receive(message())
    again, created = receive(message())

    assert not created
    assert again.pk == first.pk
    assert WorkOrder.objects.count() == 1
    assert len(outbox.outbox) == 1


@pytest.mark.django_db
def test_machine_mail_is_received_but_not_answered(receive) -> None:
    order, created = receive(message(Auto_Submitted="auto-replied"))

    assert created
    assert WorkOrder.objects.filter(pk=order.pk).exists()
    assert outbox.outbox == []


@pytest.mark.django_db
def test_attachments_are_noted_in_the_order(receive) -> None:
    email = EmailMessage()
    email["From"] = "li@example.cn"
    email["Subject"] = "楼道堆物"
    email.set_content("楼道里堆满杂物，存在消防隐患。")
    email.add_attachment(b"\x89PNG", maintype="image", subtype="png", filename="现场照片.png")

    order, _created = receive(email.as_bytes())

    assert "来信附有：现场照片.png" in order.content


@pytest.mark.django_db
def test_a_failed_acknowledgement_keeps_the_order(receive, monkeypatch, caplog) -> None:
    def refuse(self, fail_silently=False):
        raise OSError("connection refused")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    with caplog.at_level(logging.ERROR, logger="gongkai.hotline.services"):
        order, created = receive(message())

    assert created
    assert WorkOrder.objects.filter(pk=order.pk).exists()
    assert order.number in caplog.text


# ---- The command ------------------------------------------------------------------------------


def stdin_of(monkeypatch, raw: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))


@pytest.mark.django_db
def test_the_command_receives_a_piped_message(monkeypatch, capsys) -> None:
    stdin_of(monkeypatch, message())

    call_command("hotline", "mail")

    number = WorkOrder.objects.get().number
    assert f"已受理，工单编号 {number}。" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_refused_piped_message_exits_65_with_the_reason(monkeypatch, capsys) -> None:
    stdin_of(monkeypatch, message(text=" "))

    with pytest.raises(CommandError) as failed:
        call_command("hotline", "mail")

    assert failed.value.returncode == 65
    assert "来信没有正文" in capsys.readouterr().err
    assert not WorkOrder.objects.exists()


@pytest.mark.django_db
def test_the_command_reads_the_unseen_messages_of_a_maildir(tmp_path: Path, capsys) -> None:
    box = mailbox.Maildir(tmp_path / "12345")
    box.add(message(message_id="<a@example.cn>"))
    box.add(message(message_id="<b@example.cn>", subject="咨询", text="请问公积金怎么提取？"))
    box.add(message(message_id="<c@example.cn>", text=""))

    with pytest.raises(CommandError):  # one refused
        call_command("hotline", "mail", "--maildir", str(tmp_path / "12345"))
    call_command("hotline", "mail", "--maildir", str(tmp_path / "12345"))  # nothing unseen left

    assert WorkOrder.objects.count() == 2
    assert all("S" in box.get_message(key).get_flags() for key in box.iterkeys())
    assert capsys.readouterr().out.count("已受理，工单编号") == 2


@pytest.mark.django_db
def test_a_missing_maildir_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="无法读取邮箱"):
        call_command("hotline", "mail", "--maildir", str(tmp_path / "none"))
