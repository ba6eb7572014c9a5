"""events notify themselves; the rules say when they changed

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28

Every NOTIFY comes from here, in the writing transaction: PostgreSQL delivers it on commit
and drops it on rollback. The payload is what store/listener.py's `parse_change` reads, on
the channel `store.audit.CHANNEL`. The triggers only read other tables, so they work for a
role that may only INSERT into `event`.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOTIFY = """
CREATE FUNCTION ptsa_notify(kind text, request_id integer, task_id integer, unit_id integer)
RETURNS void LANGUAGE sql AS $$
    SELECT pg_notify('ptsa', json_build_object(
        'request', request_id, 'task', task_id, 'unit', unit_id, 'kind', kind
    )::text)
$$;
"""

# A message tells every unit the request passed through and its front office; an event on a
# task tells the task's unit; any other (a log-in) the officer's unit.
EVENT_NOTIFIES = """
CREATE FUNCTION event_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.kind = 'message' THEN
        PERFORM ptsa_notify(NEW.kind, NEW.request_id, NEW.task_id, u.id)
        FROM (SELECT t.unit_id FROM task t WHERE t.request_id = NEW.request_id
              UNION SELECT r.origin_unit_id FROM request r WHERE r.id = NEW.request_id
              ORDER BY 1) AS u(id);
    ELSIF NEW.task_id IS NOT NULL THEN
        PERFORM ptsa_notify(NEW.kind, NEW.request_id, NEW.task_id,
                            (SELECT t.unit_id FROM task t WHERE t.id = NEW.task_id));
    ELSE
        PERFORM ptsa_notify(NEW.kind, NEW.request_id, NULL,
                            (SELECT o.unit_id FROM officer o WHERE o.id = NEW.officer_id));
    END IF;
    RETURN NULL;
END $$;
-- Silent: 'registered' (its task's 'offered' already tells the unit), and the events no desk
-- shows (an org import says 'rules' itself when a claim SLA changed).
CREATE TRIGGER event_notify AFTER INSERT ON event FOR EACH ROW
    WHEN (NEW.kind NOT IN ('registered', 'org_imported', 'demo_seeded', 'password_set'))
    EXECUTE FUNCTION event_notify();
"""

TASK_NOTIFIES = """
CREATE FUNCTION task_offered_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ptsa_notify('offered', NEW.request_id, NEW.id, NEW.unit_id);
    RETURN NULL;
END $$;
CREATE TRIGGER task_offered AFTER INSERT ON task FOR EACH ROW
    EXECUTE FUNCTION task_offered_notify();
"""

# 'rules': what every process's cached calendar and claim SLAs are loaded from changed.
RULES_NOTIFY = """
CREATE FUNCTION rules_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ptsa_notify('rules', NULL, NULL, NULL);
    RETURN NULL;
END $$;
CREATE TRIGGER calendar_override_rules AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON calendar_override FOR EACH STATEMENT EXECUTE FUNCTION rules_notify();

-- A unit counts only when a claim-SLA override came, went or changed: an org import rewrites
-- every unit, mostly with the same values.
CREATE FUNCTION unit_rules_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        PERFORM FROM old_units o JOIN new_units n USING (id)
        WHERE o.claim_sla IS DISTINCT FROM n.claim_sla LIMIT 1;
    ELSIF TG_OP = 'INSERT' THEN
        PERFORM FROM new_units WHERE claim_sla IS NOT NULL LIMIT 1;
    ELSE
        PERFORM FROM old_units WHERE claim_sla IS NOT NULL LIMIT 1;
    END IF;
    IF FOUND THEN
        PERFORM ptsa_notify('rules', NULL, NULL, NULL);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER unit_rules_insert AFTER INSERT ON unit REFERENCING NEW TABLE AS new_units
    FOR EACH STATEMENT EXECUTE FUNCTION unit_rules_notify();
CREATE TRIGGER unit_rules_update AFTER UPDATE ON unit
    REFERENCING OLD TABLE AS old_units NEW TABLE AS new_units
    FOR EACH STATEMENT EXECUTE FUNCTION unit_rules_notify();
CREATE TRIGGER unit_rules_delete AFTER DELETE ON unit REFERENCING OLD TABLE AS old_units
    FOR EACH STATEMENT EXECUTE FUNCTION unit_rules_notify();
"""

FUNCTIONS = (
    "unit_rules_notify()",
    "rules_notify()",
    "task_offered_notify()",
    "event_notify()",
    "ptsa_notify(text, integer, integer, integer)",
)


def upgrade() -> None:
    for sql in (NOTIFY, EVENT_NOTIFIES, TASK_NOTIFIES, RULES_NOTIFY):
        op.execute(sql)


def downgrade() -> None:
    for function in FUNCTIONS:
        op.execute(f"DROP FUNCTION {function} CASCADE")  # and the triggers that call it
