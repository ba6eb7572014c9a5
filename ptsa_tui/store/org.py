"""The organisation file: units, officers and services, upserted by code and username.

The file is checked whole before anything is written (org_checks: text, duplicates; pydantic:
shapes and caps), then applied in one transaction that refuses a stranding tier change
(org_tiers). An officer the file deactivates gives their claims back through the same step as
`officer deactivate` (officer_admin.give_back_claims), with its event.
"""

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy import Engine
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session
from sqlmodel import col, select

from ptsa_tui.durations import parse_duration
from ptsa_tui.error_text import first_problem
from ptsa_tui.store import audit
from ptsa_tui.store.errors import InvalidInput
from ptsa_tui.store.inputs import Email, Name, Phone
from ptsa_tui.store.limits import MAX_CODE, MAX_PASSWORD, MAX_USERNAME, MIN_PASSWORD
from ptsa_tui.store.models import Officer, Service, Unit
from ptsa_tui.store.officer_admin import active_changed
from ptsa_tui.store.org_checks import org_text, printable, refuse_duplicates
from ptsa_tui.store.org_tiers import refuse_stranding_tier_changes
from ptsa_tui.store.passwords import hash_password
from ptsa_tui.store.timeutil import utc_now

if TYPE_CHECKING:
    from ptsa_tui.store.workflow import Workflow

Code = Annotated[str, Field(pattern=r"^[A-Z0-9][A-Z0-9-]*$", max_length=MAX_CODE)]
Username = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=MAX_USERNAME)]
OptionalDuration = Annotated[
    timedelta | None, BeforeValidator(lambda v: parse_duration(v) if isinstance(v, str) else v)
]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    _printable = field_validator("*", mode="before")(printable)


class UnitSpec(_Spec):
    code: Code
    name: Name
    tier: Literal[0, 1, 2]
    parent: Code | None = None
    claim_sla: OptionalDuration = None


class OfficerSpec(_Spec):
    username: Username
    name: Name
    unit: Code
    email: Email | None = None
    phone: Phone | None = None
    supervisor: bool = False
    active: bool = True
    language: Literal["id", "en"] = "id"
    password: str | None = Field(
        default=None, min_length=MIN_PASSWORD, max_length=MAX_PASSWORD, repr=False
    )


class ServiceSpec(_Spec):
    code: Code
    name: Name
    unit: Code
    sop_days: int = Field(ge=1, le=365)


class OrgFile(_Spec):
    units: list[UnitSpec] = []
    officers: list[OfficerSpec] = []
    services: list[ServiceSpec] = []


@dataclass(frozen=True)
class ImportCounts:
    units: int
    officers: int
    services: int


Progress = Callable[[str, int], None]


def read_org_file(path: Path) -> OrgFile:
    try:
        raw = tomllib.loads(org_text(path))
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput(f"{path}: not valid TOML: {error}") from None
    return parse_org(raw, source=str(path))


def parse_org(raw: dict[str, Any], *, source: str = "org file") -> OrgFile:
    try:
        org = OrgFile.model_validate(raw)
    except ValidationError as error:
        problem = first_problem(error)
        raise InvalidInput(f"{source}: {problem.where}: {problem.reason}") from None
    refuse_duplicates(source, "units", "code", (u.code for u in org.units))
    refuse_duplicates(source, "officers", "username", (o.username for o in org.officers))
    refuse_duplicates(source, "services", "code", (s.code for s in org.services))
    return org


def import_org(
    engine: Engine,
    org: OrgFile,
    progress: Progress | None = None,
    *,
    workflow: "Workflow | None" = None,
) -> ImportCounts:
    """Upsert everything in one transaction; a bad reference leaves the database untouched.

    `workflow` releases the claims of officers the file deactivates (one is made from the
    default settings when needed and not given)."""
    step = progress or (lambda _label, _n: None)
    now = utc_now()
    with Session(engine, expire_on_commit=False) as session, session.begin():
        refuse_stranding_tier_changes(session, org)
        was_active: dict[str, bool] = {
            name: active
            for name, active in session.execute(select(Officer.username, Officer.active))
        }
        unit_ids = _upsert_units(session, org.units)
        step("units", len(org.units))
        for spec in org.officers:
            _upsert_officer(session, spec, _ref(unit_ids, spec.unit, f"officer {spec.username}"))
            if was_active.get(spec.username, spec.active) != spec.active:
                workflow = workflow or _default_workflow(engine)
                active_changed(workflow, session, spec.username, spec.active, now)
            step("officers", 1)
        for service in org.services:
            unit_id = _ref(unit_ids, service.unit, f"service {service.code}")
            tier = session.scalar(select(Unit.tier).where(col(Unit.id) == unit_id))
            if tier != 2:
                raise InvalidInput(
                    f"service {service.code}: unit {service.unit} is not an echelon-2 unit"
                )
            _upsert(
                session,
                Service,
                "code",
                service.code,
                name=service.name,
                unit_id=unit_id,
                sop_days=service.sop_days,
            )
        step("services", len(org.services))
        counts = ImportCounts(len(org.units), len(org.officers), len(org.services))
        audit.record(session, kind="org_imported", at=now, officer_id=None, details=vars(counts))
        return counts


def _upsert_units(session: Session, specs: list[UnitSpec]) -> dict[str, int]:
    known: dict[str, int] = {
        code: unit_id for code, unit_id in session.execute(select(Unit.code, Unit.id)) if unit_id
    }
    # parents first, so a tier-2 unit can name a tier-1 unit defined in the same file
    for spec in sorted(specs, key=lambda s: s.tier):
        parent_id = None
        if spec.tier == 2:
            parent_id = _ref(known, spec.parent, f"unit {spec.code}")
            if session.scalar(select(Unit.tier).where(col(Unit.id) == parent_id)) != 1:
                raise InvalidInput(
                    f"unit {spec.code}: parent {spec.parent} is not an echelon-1 unit"
                )
        elif spec.parent is not None:
            raise InvalidInput(f"unit {spec.code}: only echelon-2 units have a parent")
        known[spec.code] = _upsert(
            session,
            Unit,
            "code",
            spec.code,
            name=spec.name,
            tier=spec.tier,
            parent_id=parent_id,
            claim_sla=spec.claim_sla,
        )
    return known


def _upsert_officer(session: Session, spec: OfficerSpec, unit_id: int) -> None:
    officer_id = _upsert(
        session,
        Officer,
        "username",
        spec.username,
        full_name=spec.name,
        unit_id=unit_id,
        email=spec.email,
        phone=spec.phone,
        supervisor=spec.supervisor,
        active=spec.active,
        language=spec.language,
    )
    if spec.password:
        officer = session.get(Officer, officer_id)
        if officer is not None and officer.password_hash is None:  # "initial" password only
            officer.password_hash = hash_password(spec.password)


def _upsert(session: Session, table: Any, key: str, value: str, **fields: Any) -> int:
    statement = insert(table).values({key: value, **fields})
    statement = statement.on_conflict_do_update(index_elements=[key], set_=fields)
    row_id: int = session.execute(statement.returning(table.id)).scalar_one()
    return row_id


def _ref(known: dict[str, int], code: str | None, owner: str) -> int:
    if code is None or code not in known:
        raise InvalidInput(f"{owner}: unknown unit {code!r}")
    return known[code]


def _default_workflow(engine: Engine) -> "Workflow":
    from ptsa_tui.config import load_settings
    from ptsa_tui.store.workflow import Workflow

    return Workflow(engine, load_settings())
