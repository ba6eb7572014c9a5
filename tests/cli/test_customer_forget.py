"""`ptsa customer forget ID --by SUPERVISOR` from the command line: the id comes from
`task show --json`, a refusal is one line with its exit code."""

from tests.cli.conftest import Cli, assert_one_line_error, json_of, succeeded


def test_a_supervisor_forgets_the_customer_a_task_show_names(cli: Cli, org: None) -> None:
    registered = json_of(
        cli(
            "request",
            "new",
            "--service",
            "SVC-A",
            "--customer",
            "Siti Aminah",
            "--phone",
            "081234567890",
            "--nik",
            "3174012345678901",
            "--subject",
            "Izin kerja",
            "--by",
            "p0",
            "--json",
        )
    )
    shown = json_of(cli("task", "show", registered["tracking_no"], "--json"))
    customer_id = shown["customer"]["id"]
    said = succeeded(cli("customer", "forget", str(customer_id), "--by", "spv0"))
    assert f"customer {customer_id} forgotten: 1 requests kept" in said
    after = json_of(cli("task", "show", registered["tracking_no"], "--json"))["customer"]
    assert (after["nik"], after["phone"], after["email"]) == (None, None, None)
    assert after["name"] != "Siti Aminah"


def test_refusals_are_one_line_with_their_exit_code(cli: Cli, org: None) -> None:
    assert_one_line_error(cli("customer", "forget", "999", "--by", "spv0"), 4, "no customer 999")
    json_of(
        cli(
            "request",
            "new",
            "--service",
            "SVC-A",
            "--customer",
            "Budi",
            "--subject",
            "s",
            "--by",
            "p0",
            "--json",
        )
    )
    assert_one_line_error(cli("customer", "forget", "1", "--by", "p0"), 5, "only supervisors")
    assert_one_line_error(cli("customer", "forget", "x", "--by", "spv0"), 2)
