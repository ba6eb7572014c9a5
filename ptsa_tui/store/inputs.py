"""Input models for new customers and requests, checked before anything is written."""

import re
from typing import TYPE_CHECKING, Annotated, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, ValidationError

from ptsa_tui.error_text import first_problem, problem
from ptsa_tui.phone import normalise_phone
from ptsa_tui.store.errors import InvalidInput, Term
from ptsa_tui.store.limits import (
    MAX_DETAILS,
    MAX_EMAIL,
    MAX_NAME,
    MAX_PHONE,
    MAX_SUBJECT,
    TEXT_LIMITS,
)
from ptsa_tui.store.models import CHANNELS
from ptsa_tui.store.phrases import Phrase, PhraseError
from ptsa_tui.text_safety import quoted

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

# ASCII only: \s and \d would take any script's spaces and digits.
_EMAIL = re.compile(r"[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+")
_NIK = re.compile(r"[0-9]{16}")

# The fields and reasons a refusal of the desk's forms may name, marked for the catalogs.
FORM_WORDS = (
    Term("contains a NUL character"),
    Term("is not valid UTF-8"),
    Term("must not be empty"),
    Term("subject"),
    Term("details"),
    Term("customer.name"),
    Term("reason"),
    Term("answer"),
    Term("note"),
    Term("message"),
)


def _no_nul(text: str) -> str:
    # PostgreSQL text cannot hold NUL nor a lone surrogate; other control characters are
    # stored as typed and neutralised where they are shown.
    if "\x00" in text:
        raise ValueError("contains a NUL character")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("is not valid UTF-8") from None
    return text


def _required(text: str) -> str:
    if not text.strip():
        raise ValueError("must not be empty")
    return text


def _email(raw: str) -> str:
    if len(raw) > MAX_EMAIL:
        raise PhraseError("an email address has at most {limit} characters", limit=MAX_EMAIL)
    if not _EMAIL.fullmatch(raw):
        raise PhraseError("not an email address: {address}", address=quoted(raw))
    return raw


def _nik(raw: str) -> str:
    if not _NIK.fullmatch(raw):
        raise PhraseError("NIK must be 16 digits 0-9, got {nik}", nik=quoted(raw))
    return raw


def _phone(raw: str) -> str:
    if len(raw) > MAX_PHONE:
        raise PhraseError("a phone number has at most {limit} characters", limit=MAX_PHONE)
    return normalise_phone(raw)


def _channel(raw: str) -> str:
    if raw not in CHANNELS:
        raise PhraseError(
            "unknown channel {channel} (one of {channels})",
            channel=quoted(raw),
            channels=", ".join(CHANNELS),
        )
    return raw


Name = Annotated[
    str, Field(max_length=MAX_NAME), AfterValidator(_no_nul), AfterValidator(_required)
]
Subject = Annotated[
    str, Field(max_length=MAX_SUBJECT), AfterValidator(_no_nul), AfterValidator(_required)
]
Details = Annotated[str, Field(max_length=MAX_DETAILS), AfterValidator(_no_nul)]
Phone = Annotated[str, AfterValidator(_phone)]
Email = Annotated[str, AfterValidator(_email)]
Nik = Annotated[str, AfterValidator(_nik)]
Channel = Annotated[str, AfterValidator(_channel)]


InputT = TypeVar("InputT", bound=BaseModel)


class _Input(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=False)


class NewCustomer(_Input):
    name: Name
    phone: Phone | None = None
    email: Email | None = None
    nik: Nik | None = None
    organisation: Details | None = None
    notify: StrictBool = True  # False: the customer wants no SMS or email from us


class NewRequest(_Input):
    customer: NewCustomer
    service_code: str | None = None
    unit_code: str | None = None
    subject: Subject
    details: Details = ""
    channel: Channel = "walk-in"


def checked(model: type[InputT], **fields: object) -> InputT:
    """Build an input model, turning the first problem into a one-line InvalidInput."""
    try:
        return model(**fields)  # type: ignore[arg-type]
    except ValidationError as error:
        problem = first_problem(error)
        raise InvalidInput(
            "{field}: {reason}", field=problem.where, reason=Term(problem.reason)
        ) from None


def problem_phrase(detail: "ErrorDetails") -> Phrase:
    """One pydantic problem as a phrase a desk can translate: ours carry theirs; a length over
    its cap is worded here; any other is its English text, which the catalogs may know."""
    cause = detail.get("ctx", {}).get("error")
    if isinstance(cause, PhraseError):
        return cause.phrase
    if detail["type"] == "string_too_long":
        return Phrase("at most {limit} characters", limit=detail.get("ctx", {}).get("max_length"))
    return Phrase(problem(detail).reason)


def required_text(field: str, value: str | None) -> str:
    """A reason, answer, note or message: present, not blank, within its cap in TEXT_LIMITS."""
    text = value or ""
    limit = TEXT_LIMITS[field]
    if len(text) > limit:
        raise InvalidInput(
            "{field}: at most {limit} characters, got {length}",
            field=Term(field),
            limit=limit,
            length=len(text),
        )
    try:
        return _required(_no_nul(text))
    except ValueError as error:
        raise InvalidInput(
            "{field}: {reason}", field=Term(field), reason=Term(str(error))
        ) from None


def optional_text(field: str, value: str | None) -> str | None:
    """A note that may be left out; when given, the same rules as `required_text`."""
    if value is None or not value.strip():
        return None
    return required_text(field, value)
