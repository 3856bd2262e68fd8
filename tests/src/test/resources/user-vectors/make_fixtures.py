"""Writes the user-embedding fixtures of UserVectorsTest with faiss-cpu and numpy (and pyarrow).

Run from this directory: python make_fixtures.py. Passages p000..p059 (corpus.jsonl, in file
order), queries q00..q07 (queries.jsonl); their embeddings as a FAISS IndexFlatIP file
(passages.index, faiss.write_index), the same matrix as .npy (passages.npy) and as Parquet id,
vector in shuffled row order (passages.parquet); query embeddings as .npy (queries.npy); and
FAISS's own top-5 of each query (faiss_top5.json: ids and scores), pinned for the test.
"""
import json

import faiss
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

DIM, PASSAGES, QUERIES, K = 12, 60, 8, 5
rng = np.random.default_rng(20261206)
xb = rng.standard_normal((PASSAGES, DIM)).astype(np.float32)
xb /= np.linalg.norm(xb, axis=1, keepdims=True)
xq = rng.standard_normal((QUERIES, DIM)).astype(np.float32)
xq /= np.linalg.norm(xq, axis=1, keepdims=True)
ids = [f"p{i:03d}" for i in range(PASSAGES)]
words = ["river", "mountain", "castle", "harbour", "forest", "desert", "island", "valley"]
with open("corpus.jsonl", "w") as f:
    for i, pid in enumerate(ids):
        text = f'"Passage {i}"\nabout the {words[i % len(words)]} number {i}'
        f.write(json.dumps({"id": pid, "contents": text}) + "\n")
with open("queries.jsonl", "w") as f:
    for q in range(QUERIES):
        f.write(json.dumps({"id": f"q{q:02d}", "question": f"where is the {words[q]}"}) + "\n")
index = faiss.IndexFlatIP(DIM)
index.add(xb)
faiss.write_index(index, "passages.index")
np.save("passages.npy", xb)
np.save("queries.npy", xq)
order = rng.permutation(PASSAGES)
pq.write_table(pa.table({"id": [ids[i] for i in order],
                         "vector": [xb[i].tolist() for i in order]}), "passages.parquet")
scores, rows = faiss.read_index("passages.index").search(xq, K)
top = {f"q{q:02d}": [{"id": ids[r], "score": float(s)} for r, s in zip(rows[q], scores[q])]
       for q in range(QUERIES)}
with open("faiss_top5.json", "w") as f:
    json.dump(top, f, indent=1)
