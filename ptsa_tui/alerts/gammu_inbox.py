"""What customers text to the office's modem, read from Gammu SMSD's `inbox` table.

Each message is locked FOR UPDATE SKIP LOCKED, its reply put in smsd's `outbox` and the message
marked Processed in one transaction of the Gammu database: however many daemons read and
however often they restart, each message is answered once.
"""

from collections.abc import Callable

from ptsa_tui.alerts.failure import SendFailed
from ptsa_tui.config import SmsSettings
from ptsa_tui.error_text import first_line

Reply = Callable[[str, str], str | None]  # (sender, text) -> the reply, or None for none


class GammuInbox:
    def __init__(self, sms: SmsSettings) -> None:
        self.url = sms.database_url
        self.inbox = sms.gammu_inbox_table
        self.outbox = sms.gammu_table
        self.timeout = int(sms.timeout.total_seconds())

    def answer_all(self, reply: Reply, limit: int = 100) -> int:
        """Answer up to `limit` unprocessed messages, oldest first; returns how many."""
        import psycopg
        from psycopg import sql

        take = sql.SQL(
            'SELECT "ID", "SenderNumber", "TextDecoded" FROM {} WHERE NOT "Processed"'
            ' ORDER BY "ID" LIMIT 1 FOR UPDATE SKIP LOCKED'
        ).format(sql.Identifier(self.inbox))
        answer = sql.SQL(
            'INSERT INTO {} ("DestinationNumber", "TextDecoded", "CreatorID", "Coding")'
            " VALUES (%s, %s, 'ptsa', 'Default_No_Compression')"
        ).format(sql.Identifier(self.outbox))
        done = sql.SQL('UPDATE {} SET "Processed" = true WHERE "ID" = %s').format(
            sql.Identifier(self.inbox)
        )
        answered = 0
        try:
            with psycopg.connect(self.url, connect_timeout=self.timeout, autocommit=True) as conn:
                while answered < limit:
                    with conn.transaction():
                        row = conn.execute(take).fetchone()
                        if row is None:
                            break
                        message_id, sender, text = row
                        said = reply(str(sender), str(text or ""))
                        if said is not None:
                            conn.execute(answer, (sender, said))
                        conn.execute(done, (message_id,))
                    answered += 1
        except psycopg.Error as error:
            raise SendFailed(f"Gammu inbox: {first_line(str(error))}") from None
        return answered
