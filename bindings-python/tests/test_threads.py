"""One Classifier shared by many Python threads: same results as one thread, in parallel."""

import threading
from concurrent.futures import ThreadPoolExecutor

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
