"""Reading a citizen's e-mail to 12345 (the e-mail channel of intake).

``parse`` turns a raw RFC 5322 message into what an order needs: who wrote (address and
display name), the subject, the text (the plain-text part, else the HTML part as text),
the Message-ID that makes receiving it twice harmless, the names of its attachments, and
whether it was sent by a machine (an auto-reply, a bounce, a mailing list), which is never
answered. A message without a sender address or without any text is refused with a Chinese
reason (``MailError``); nothing else about a message, however malformed, raises.
"""

import email
import email.policy
import email.utils
import hashlib
import html
from dataclasses import dataclass
from email.message import EmailMessage
from enum import StrEnum
from typing import cast

from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from gongkai.core.errors import CoreError

from .models import RequestType

SUBJECT_MAX = 100  # WorkOrder.title
# 诉求类型 named in a message: the first of these words found in the subject, else in the text,
# decides; a message that names none is a request for help (求助), which the operator corrects.
TYPE_WORDS = (
    (RequestType.REPORT, ("举报",)),
    (RequestType.COMPLAINT, ("投诉",)),
    (RequestType.SUGGESTION, ("建议",)),
    (RequestType.PRAISE, ("表扬", "感谢")),
    (RequestType.CONSULT, ("咨询", "请问")),
    (RequestType.HELP, ("求助",)),
)
DEFAULT_TYPE = RequestType.HELP
_MACHINE_SENDERS = ("mailer-daemon@", "postmaster@", "noreply@", "no-reply@")


class MailErrorCode(StrEnum):
    NO_SENDER = "hotline.mail.no_sender"
    NO_TEXT = "hotline.mail.no_text"


class MailError(CoreError, ValueError):
    messages = {
        MailErrorCode.NO_SENDER: _("来信没有可回复的发件人地址，无法受理。"),
        MailErrorCode.NO_TEXT: _("来信没有正文，无法受理：请在正文中写明诉求。"),
    }


@dataclass(frozen=True)
class Mail:
    message_id: str
    sender: str
    name: str
    subject: str
    text: str
    attachments: tuple[str, ...]
    automatic: bool
    """Sent by a machine: an auto-reply, a bounce or a list (never acknowledged)."""

    @property
    def request_type(self) -> RequestType:
        for text in (self.subject, self.text):
            found = [
                (text.find(word), kind)
                for kind, words in TYPE_WORDS
                for word in words
                if word in text
            ]
            if found:
                return min(found)[1]
        return DEFAULT_TYPE


def parse(raw: bytes) -> Mail:
    # The default policy's messages are EmailMessage (typeshed says Message).
    message = cast(EmailMessage, email.message_from_bytes(raw, policy=email.policy.default))
    name, sender = email.utils.parseaddr(_header(message, "Reply-To") or _header(message, "From"))
    if "@" not in sender:
        raise MailError(MailErrorCode.NO_SENDER)
    text = _text(message)
    if not text:
        raise MailError(MailErrorCode.NO_TEXT)
    automatic = (
        _header(message, "Auto-Submitted").lower() not in ("", "no")
        or _header(message, "Precedence").lower() in ("bulk", "junk", "list")
        or bool(_header(message, "List-Id"))
        or sender.lower().startswith(_MACHINE_SENDERS)
    )
    # A message without a Message-ID is known by its content instead.
    message_id = _header(message, "Message-ID") or "sha256:" + hashlib.sha256(raw).hexdigest()
    return Mail(
        message_id=message_id[:250],
        sender=sender.strip(),
        name=name.strip()[:50],
        subject=" ".join(_header(message, "Subject").split())[:SUBJECT_MAX],
        text=text,
        attachments=tuple(_attachments(message)),
        automatic=automatic,
    )


def _header(message: EmailMessage, name: str) -> str:
    """A header's decoded value, "" when it is missing or cannot be decoded."""
    try:
        value = message.get(name)
    except Exception:  # the parser defers header errors to first access
        return ""
    return "" if value is None else str(value).strip()


def _text(message: EmailMessage) -> str:
    try:
        body = message.get_body(preferencelist=("plain", "html"))
        if body is None:
            return ""
        content = body.get_content()
    except Exception:  # an unknown charset or broken transfer encoding: no readable text
        return ""
    if not isinstance(content, str):
        return ""
    if body.get_content_subtype() == "html":
        content = html.unescape(strip_tags(content))
    lines = (" ".join(line.split()) for line in content.splitlines())
    return "\n".join(line for line in lines if line).strip()


def _attachments(message: EmailMessage) -> list[str]:
    try:
        return [
            part.get_filename() or str(_("（无名附件）")) for part in message.iter_attachments()
        ]
    except Exception:
        return []
