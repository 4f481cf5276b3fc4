#!/usr/bin/env bash
# A CI smoke run of the benchmarks: fetches the workload (benches/setup.sh), runs every
# criterion benchmark once in test mode (`-- --test`: each function runs once, no timing),
# and the start-up probe. It proves the benches build and run on this revision; the figures
# in RESULTS.md come from full runs (`cargo bench -p inochi-benches`, see RESULTS.md).
set -euo pipefail
ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
bash benches/setup.sh
cargo bench -p inochi-benches --locked --bench firehose --bench stages -- --test
cargo run --release --locked -q -p inochi-benches --bin startup -- 3
