"""Input models for new customers and requests, checked before anything is written."""

import re
from typing import Annotated, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from ptsa_tui.error_text import first_problem
from ptsa_tui.phone import normalise_phone
from ptsa_tui.store.errors import InvalidInput
from ptsa_tui.store.limits import MAX_DETAILS, MAX_MESSAGE, MAX_NAME, MAX_SUBJECT
from ptsa_tui.store.models import CHANNELS

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_NIK = re.compile(r"\d{16}")


def _no_nul(text: str) -> str:
    # PostgreSQL text cannot hold NUL; other control characters are stored as typed.
    if "\x00" in text:
        raise ValueError("contains a NUL character")
    return text


def _required(text: str) -> str:
    if not text.strip():
        raise ValueError("must not be empty")
    return text


def _email(raw: str) -> str:
    if len(raw) > 254 or not _EMAIL.fullmatch(raw):
        raise ValueError(f"not an email address: {raw!r}")
    return raw


def _nik(raw: str) -> str:
    if not _NIK.fullmatch(raw):
        raise ValueError(f"NIK must be 16 digits, got {raw!r}")
    return raw


def _channel(raw: str) -> str:
    if raw not in CHANNELS:
        raise ValueError(f"unknown channel {raw!r} (one of {', '.join(CHANNELS)})")
    return raw


Name = Annotated[
    str, Field(max_length=MAX_NAME), AfterValidator(_no_nul), AfterValidator(_required)
]
Subject = Annotated[
    str, Field(max_length=MAX_SUBJECT), AfterValidator(_no_nul), AfterValidator(_required)
]
Details = Annotated[str, Field(max_length=MAX_DETAILS), AfterValidator(_no_nul)]
Phone = Annotated[str, AfterValidator(normalise_phone)]
Email = Annotated[str, AfterValidator(_email)]
Nik = Annotated[str, AfterValidator(_nik)]
Channel = Annotated[str, AfterValidator(_channel)]
MessageBody = Annotated[
    str, Field(max_length=MAX_MESSAGE), AfterValidator(_no_nul), AfterValidator(_required)
]
Reason = Annotated[
    str, Field(max_length=MAX_DETAILS), AfterValidator(_no_nul), AfterValidator(_required)
]


InputT = TypeVar("InputT", bound=BaseModel)


class _Input(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=False)


class NewCustomer(_Input):
    name: Name
    phone: Phone | None = None
    email: Email | None = None
    nik: Nik | None = None
    organisation: Details | None = None


class NewRequest(_Input):
    customer: NewCustomer
    service_code: str | None = None
    unit_code: str | None = None
    subject: Subject
    details: Details = ""
    channel: Channel = "walk-in"


class Text(_Input):
    """A free-text argument of a transition: reason, answer, note or message."""

    value: Reason


def checked(model: type[InputT], **fields: object) -> InputT:
    """Build an input model, turning the first problem into a one-line InvalidInput."""
    try:
        return model(**fields)  # type: ignore[arg-type]
    except ValidationError as error:
        problem = first_problem(error)
        raise InvalidInput(f"{problem.where}: {problem.reason}") from None


def required_text(field: str, value: str | None) -> str:
    """A reason, answer or message: present, not blank, not too long."""
    try:
        return Text(value=value or "").value
    except ValidationError as error:
        raise InvalidInput(f"{field}: {first_problem(error).reason}") from None


def optional_text(field: str, value: str | None) -> str | None:
    """A note that may be left out; when given, the same rules as `required_text`."""
    if value is None or not value.strip():
        return None
    return required_text(field, value)
