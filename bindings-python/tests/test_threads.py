"""One Classifier shared by many Python threads: same results as one thread, in parallel."""

import json
import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import inochi


def test_threads_share_one_classifier(classifier, corpus):
    texts = [row["text"] for _, _, row in corpus]
    expected = [v.to_json() for v in classifier.classify_batch(texts, threads=1)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda t: classifier.classify(t).to_json(), texts))
    assert got == expected


def test_concurrent_batches_and_module_level_classify(classifier, corpus):
    texts = [row["text"] for _, _, row in corpus][:400]
    expected = classifier.classify_batch(texts)
    chunks = [texts[i::4] for i in range(4)]

    def work(i):
        if i % 2:
            return classifier.classify_batch(chunks[i], threads=2)
        return [inochi.classify(t) for t in chunks[i]]

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(work, range(4)))
    for i, result in enumerate(results):
        assert result == expected[i::4]


def test_first_use_of_the_default_classifier_from_many_threads():
    # The shared default instance is built once even when threads race for it.
    barrier = threading.Barrier(6)

    def work(_):
        barrier.wait()
        return inochi.classify("死にたい人DMください").primary

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert set(pool.map(work, range(6))) == {"inducement"}


def test_gil_is_released_during_a_batch(classifier, corpus):
    # While a batch runs, another Python thread keeps running.
    texts = [row["text"] for _, _, row in corpus] * 4
    ticks = []
    done = threading.Event()

    def ticker():
        while not done.is_set():
            ticks.append(1)
            done.wait(0.001)

    t = threading.Thread(target=ticker)
    t.start()
    try:
        classifier.classify_batch(texts)
    finally:
        done.set()
        t.join()
    assert len(ticks) > 1


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
@pytest.mark.parametrize("threads", [None, 2])
def test_batch_in_a_forked_child(classifier, threads):
    # multiprocessing and pre-fork servers fork after the parent has classified: the child
    # must not wait for thread-pool threads that only exist in the parent.
    texts = ["死にたいなあ", "kys", "今日はいい天気"]
    expected = [v.primary for v in classifier.classify_batch(texts, threads=threads)]
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        try:
            out = [v.primary for v in classifier.classify_batch(texts, threads=threads)]
            os.write(w, json.dumps(out).encode())
        finally:
            os._exit(0)
    os.close(w)
    deadline = time.monotonic() + 60
    while True:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail("classify_batch hung in a forked child")
        time.sleep(0.05)
    with os.fdopen(r, "rb") as f:
        assert json.loads(f.read()) == expected
