"""Several processes on one database: migrations and DB-enforced rules hold across them."""

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from postback.model import Reason
from postback.storage.base import open_database
from postback.storage.batch import write_batch
from postback.storage.migrate import current_revision, head_revision, migrate
from postback.storage.schema import events
from support.jobs import event, job

MIGRATE = "import sys; from postback.storage.base import open_database; "
MIGRATE += "from postback.storage.migrate import migrate; migrate(open_database(sys.argv[1]))"


def test_processes_starting_at_once_migrate_the_schema_once(database_url: str) -> None:
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", MIGRATE, database_url],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    errors = [process.communicate(timeout=120)[1] for process in processes]
    assert [process.returncode for process in processes] == [0] * 4, errors
    database = open_database(database_url)
    with database.reader.connect() as connection:
        assert current_revision(connection) == head_revision()
    database.dispose()


def test_nodes_racing_on_the_same_keys_store_each_once(database_url: str) -> None:
    """Four writers, each with its own connections, as four nodes would be."""
    nodes = [open_database(database_url) for _ in range(4)]
    migrate(nodes[0])
    keys = [f"hit-{n}" for n in range(60)]

    def send_all(node_index: int) -> list[Reason]:
        node = nodes[node_index]
        verdicts = []
        for start in range(0, len(keys), 6):
            batch = [job(event(dedup_key=key)) for key in keys[start : start + 6]]
            verdicts += [outcome.reason for outcome in write_batch(node, batch)]
        return verdicts

    with ThreadPoolExecutor(len(nodes)) as pool:
        verdicts = [v for result in pool.map(send_all, range(len(nodes))) for v in result]
    assert verdicts.count(Reason.ACCEPTED) == len(keys)
    assert verdicts.count(Reason.DUPLICATE) == len(keys) * (len(nodes) - 1)
    with nodes[0].reader.connect() as connection:
        stored = connection.execute(sa.select(sa.func.count()).select_from(events)).scalar_one()
    assert stored == len(keys)
    for node in nodes:
        node.dispose()
