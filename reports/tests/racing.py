"""Several requests at the same moment, for the tests of double submits and racing creates.

Each request runs in a thread of its own with its own test ``Client`` (so its own database
connection); a barrier lets them go together. On PostgreSQL they really overlap. SQLite's
in-memory test database cannot take two writers at once ("database table is locked"), so there
the requests still start together but run one after another: the same answers are checked, the
overlap is PostgreSQL's to prove (CI runs the suite on both).

``checked_together``: forms whose ``clean`` waits, on PostgreSQL, until every request has
validated its form, so that all of them have passed the form's own duplicate check before any
saves: the worst interleaving, every time, instead of by luck.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from unittest import mock

from django.db import connection, connections
from django.test import Client, TransactionTestCase

from core.testing import build_world

TIMEOUT = 30  # seconds a thread waits for the others, and the test for its threads


@contextlib.contextmanager
def _validated_together(form_classes, parties: int):
    if connection.vendor == "sqlite" or not form_classes:
        yield
        return
    barrier = threading.Barrier(parties)
    with contextlib.ExitStack() as stack:
        for form_class in form_classes:

            def clean(self, original=form_class.clean):
                data = original(self)
                barrier.wait(timeout=TIMEOUT)
                return data

            stack.enter_context(mock.patch.object(form_class, "clean", clean))
        yield


def at_once(requests: list[Callable[[Client], object]], *, user, checked_together=()) -> list:
    """Run each of ``requests`` (given a Client logged in as ``user``) in its own thread, all at
    once; return what each returned (or the exception it raised), in order."""
    clients = []
    for _request in requests:
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients.append(client)
    barrier = threading.Barrier(len(requests))
    one_by_one = threading.Lock() if connection.vendor == "sqlite" else contextlib.nullcontext()
    results: list = [None] * len(requests)

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=TIMEOUT)
            with one_by_one:
                results[index] = requests[index](clients[index])
        except Exception as error:  # reported to the test, which fails on it
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(requests))]
    with _validated_together(checked_together, len(requests)):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=TIMEOUT)
    return results


class RaceTestCase(TransactionTestCase):
    """The personas of ``core.testing`` in a database whose transactions really commit, so that
    the threads of ``at_once`` see each other's writes."""

    def setUp(self):
        for name, value in vars(build_world()).items():
            setattr(self, name, value)
