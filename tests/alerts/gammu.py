"""A Gammu SMSD database on the test server, with the gateway's own `inbox` and `outbox`
tables (docs/sql/pgsql.sql of Gammu, the columns and defaults smsd reads and writes)."""

import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

from tests.conftest import drop_database, with_database

SCHEMA = """
CREATE TABLE inbox (
  "UpdatedInDB" timestamp(0) WITHOUT time zone NOT NULL DEFAULT LOCALTIMESTAMP(0),
  "ReceivingDateTime" timestamp(0) WITHOUT time zone NOT NULL DEFAULT LOCALTIMESTAMP(0),
  "Text" text NOT NULL,
  "SenderNumber" varchar(20) NOT NULL DEFAULT '',
  "Coding" varchar(255) NOT NULL DEFAULT 'Default_No_Compression',
  "UDH" text NOT NULL,
  "SMSCNumber" varchar(20) NOT NULL DEFAULT '',
  "Class" integer NOT NULL DEFAULT '-1',
  "TextDecoded" text NOT NULL DEFAULT '',
  "ID" serial PRIMARY KEY,
  "RecipientID" text NOT NULL,
  "Processed" boolean NOT NULL DEFAULT 'false'
);
CREATE TABLE outbox (
  "UpdatedInDB" timestamp(0) WITHOUT time zone NOT NULL DEFAULT LOCALTIMESTAMP(0),
  "InsertIntoDB" timestamp(0) WITHOUT time zone NOT NULL DEFAULT LOCALTIMESTAMP(0),
  "SendingDateTime" timestamp NOT NULL DEFAULT LOCALTIMESTAMP(0),
  "SendBefore" time NOT NULL DEFAULT '23:59:59',
  "SendAfter" time NOT NULL DEFAULT '00:00:00',
  "Text" text,
  "DestinationNumber" varchar(20) NOT NULL DEFAULT '',
  "Coding" varchar(255) NOT NULL DEFAULT 'Default_No_Compression',
  "UDH" text,
  "Class" integer DEFAULT '-1',
  "TextDecoded" text NOT NULL DEFAULT '',
  "ID" serial PRIMARY KEY,
  "MultiPart" boolean NOT NULL DEFAULT 'false',
  "RelativeValidity" integer DEFAULT '-1',
  "SenderID" varchar(255),
  "SendingTimeOut" timestamp(0) WITHOUT time zone NOT NULL DEFAULT LOCALTIMESTAMP(0),
  "DeliveryReport" varchar(10) DEFAULT 'default',
  "CreatorID" text NOT NULL,
  "Retries" integer DEFAULT '0'
);
"""

_names = itertools.count()


class Gammu:
    def __init__(self, url: str) -> None:
        self.url = url

    def receive(self, sender: str, text: str) -> int:
        """What smsd writes when a message arrives."""
        with psycopg.connect(self.url, autocommit=True) as conn:
            row = conn.execute(
                'INSERT INTO inbox ("Text", "SenderNumber", "UDH", "TextDecoded", "RecipientID")'
                " VALUES ('', %s, '', %s, 'ptsa-modem') RETURNING \"ID\"",
                (sender, text),
            ).fetchone()
            assert row is not None
            return int(row[0])

    def replies(self) -> list[tuple[str, str]]:
        return [(r[0], r[1]) for r in self._rows('"DestinationNumber", "TextDecoded"', "outbox")]

    def unprocessed(self) -> list[int]:
        return [int(r[0]) for r in self._rows('"ID"', 'inbox WHERE NOT "Processed"')]

    def _rows(self, columns: str, source: str) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.url) as conn:
            return conn.execute(f'SELECT {columns} FROM {source} ORDER BY "ID"').fetchall()


@contextmanager
def gammu_database(server_url: str) -> Iterator[Gammu]:
    name = f"gammu_{os.getpid()}_{next(_names)}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = with_database(server_url, name)
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(SCHEMA)
        yield Gammu(url)
    finally:
        drop_database(server_url, name)
