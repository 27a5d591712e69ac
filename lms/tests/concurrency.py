"""Run work in threads released at the same instant, for race-condition tests on PostgreSQL."""

import threading

from django.db import connection


def run_together(count, work):
    """Run `work()` (or `work(index)` if it takes one argument) in `count` threads released
    at the same instant; return what each returned or raised."""
    barrier = threading.Barrier(count)
    outcomes = [None] * count
    takes_index = work.__code__.co_argcount == 1

    def worker(index):
        try:
            barrier.wait(timeout=30)
            outcomes[index] = work(index) if takes_index else work()
        except Exception as error:  # noqa: BLE001 - the outcome under test
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (deadlock?)"
    return outcomes
