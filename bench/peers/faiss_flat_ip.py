"""FAISS IndexFlatIP, the exact index Search-R1 ships, as the dense-search peer of bench/run.

Usage: faiss_flat_ip.py VECTORS QUERIES DIM K THREADS IDS_OUT
VECTORS and QUERIES are raw little-endian float32 row-major matrices of DIM columns (written by
DenseBench). Builds the index (not timed), searches all queries in one call THREADS threads
(best of 3 by wall clock, and best of 3 by the process's CPU time), writes each query's top-K
row numbers to IDS_OUT (one line per query, space separated) and prints one JSON line:
{"threads", "queries", "seconds", "cpu_seconds", "faiss"}.
"""
import json
import sys
import time

import faiss
import numpy as np

vectors, queries, dim, k, threads, ids_out = sys.argv[1:7]
dim, k, threads = int(dim), int(k), int(threads)
xb = np.fromfile(vectors, dtype="<f4").reshape(-1, dim)
xq = np.fromfile(queries, dtype="<f4").reshape(-1, dim)
faiss.omp_set_num_threads(threads)
index = faiss.IndexFlatIP(dim)
index.add(xb)
best = float("inf")
best_cpu = float("inf")
for _ in range(3):
    t0 = time.perf_counter()
    c0 = time.process_time()
    _, rows = index.search(xq, k)
    best_cpu = min(best_cpu, time.process_time() - c0)
    best = min(best, time.perf_counter() - t0)
np.savetxt(ids_out, rows, fmt="%d")
print(json.dumps({"threads": threads, "queries": len(xq), "seconds": best,
                  "cpu_seconds": best_cpu, "faiss": faiss.__version__}))
