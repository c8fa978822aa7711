#!/usr/bin/python3
"""Peer for bench/odp.bench.ts: OVS's own Python ODP flow parser (ovs.flow.odp.ODPFlow, from
python3-openvswitch) over the same corpus of `dpctl/dump-flows -m` lines.

Usage: /usr/bin/python3 odp_parse.py CORPUS_FILE COUNT ROUNDS
Prints one JSON object: {"linesPerSec": median over ROUNDS, "failed": lines the parser rejected}.
`, dp-extra-info:...` is cut off each line first: ODPFlow has no decoder for it.
"""
import json
import re
import sys
import time

from ovs.flow.odp import ODPFlow


def main():
    corpus_file, count, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    with open(corpus_file) as f:
        base = [re.sub(r", dp-extra-info:.*$", "", l.rstrip("\n")) for l in f if l.startswith("ufid:")]
    lines = [base[i % len(base)] for i in range(count)]
    rates = []
    failed = 0
    for _ in range(rounds):
        failed = 0
        start = time.perf_counter()
        for line in lines:
            try:
                ODPFlow(line)
            except Exception:  # the parser rejects some actions (hash, meter, tnl_pop by name)
                failed += 1
        rates.append(count / (time.perf_counter() - start))
    rates.sort()
    print(json.dumps({"linesPerSec": rates[len(rates) // 2], "failed": failed}))


if __name__ == "__main__":
    main()
