#!/usr/bin/env python3
"""Conformance of `retrieval serve` to Search-R1's retrieval API, as a Search-R1 client sees it.

Written from Search-R1's contract (search_r1/search/retrieval_server.py, `retrieve_endpoint`, and
the client in search_r1/llm_agent/generation.py), not from our server's code:

  request   {"queries": [str, ...], "topk": int | null, "return_scores": bool (default false)}
  topk      missing, null or 0 -> the server's default (`--topk` there, `--k` here; 3 by default)
  response  return_scores false: {"result": [[doc, ...], ...]}, doc = the corpus record
            {"id": ..., "contents": ...}
            return_scores true:  {"result": [[{"document": doc, "score": s}, ...], ...]}
  rollout   each hit rendered "Doc {i}(Title: {title}) {text}\n", title = first line of
            contents, text = the rest; the observation is
            "\n\n<information>" + rendered.strip() + "</information>\n\n"

Python 3 standard library only. It starts one server per retriever (bm25, e5, hybrid) with the
command given by --serve (e.g. "submit/run retrieval serve") and checks both shapes, topk
missing/null/0/1/50, an empty queries list, Unicode and very long queries, 512 queries in one
request, and that the rendering above, applied to the server's hits, equals the <information>
block `rollout eval` wrote for the same query (files <rollouts>/<retriever>.jsonl with query,
topk, doc_ids, information). Exit status 0 when every check holds; failures are listed.

  python3 tests/src/test/python/searchr1_conformance.py --serve "submit/run retrieval serve" \\
      --index DIR --corpus corpus.jsonl [--rollouts DIR]

(the index built with --retrievers bm25,e5).
"""
import argparse
import json
import os
import random
import re
import shlex
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

# (retriever, --k given to the server or None for its default of 3)
SERVERS = [("bm25", None), ("e5", 5), ("hybrid", None)]
LISTENING = re.compile(r"listening on (http://\S+?:\d+)")
UNICODE_QUERIES = ["Zürich Straße", "東京", "İstanbul ΣΟΦΊΑ naïve", "café 🙂 \U0001d54f",
                   "New\u00a0York\u2009city\u3000", "مرحبا بالعالم", "e\u0301cole"]


class Failures:
    def __init__(self):
        self.items = []
        self.checks = 0

    def check(self, ok, what):
        self.checks += 1
        if not ok:
            self.items.append(what)
            print("FAIL: " + what, flush=True)
        return ok


def post(url, payload, timeout=300):
    body = json.dumps(payload).encode("utf-8")
    req = urllib.request.Request(url + "/retrieve", data=body,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read().decode("utf-8"))
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def passages2string(retrieval_result, with_scores):
    """Search-R1's _passages2string over one query's list."""
    out = ""
    for idx, item in enumerate(retrieval_result):
        content = item["document"]["contents"] if with_scores else item["contents"]
        title = content.split("\n")[0]
        text = "\n".join(content.split("\n")[1:])
        out += f"Doc {idx + 1}(Title: {title}) {text}\n"
    return out


def information(retrieval_result, with_scores):
    return f"\n\n<information>{passages2string(retrieval_result, with_scores).strip()}</information>\n\n"


def launch(serve, index, retriever, k, log):
    cmd = shlex.split(serve) + ["--index", index, "--retriever", retriever, "--port", "0",
                                "--threads", "2"]
    if k is not None:
        cmd += ["--k", str(k)]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log, text=True,
                            encoding="utf-8")


def ready(proc, retriever):
    """The server's URL, from the line it prints once listening."""
    for line in proc.stdout:
        m = LISTENING.search(line)
        if m:
            return m.group(1)
    raise RuntimeError(f"{retriever} server exited with {proc.wait()} before listening")


class Conformance:
    def __init__(self, url, retriever, default_k, corpus, fails):
        self.url, self.retriever, self.default_k = url, retriever, default_k
        self.corpus, self.f = corpus, fails

    def what(self, text):
        return f"[{self.retriever}] {text}"

    def ok_response(self, payload, n_queries):
        status, body = post(self.url, payload)
        if not self.f.check(status == 200, self.what(f"HTTP {status} for {str(payload)[:200]}: "
                                                     f"{str(body)[:300]}")):
            return None
        ok = (isinstance(body, dict) and list(body.keys()) == ["result"]
              and isinstance(body["result"], list) and len(body["result"]) == n_queries
              and all(isinstance(lst, list) for lst in body["result"]))
        self.f.check(ok, self.what(f"response is not {{'result': [list] * {n_queries}}}: "
                                   f"{str(body)[:300]}"))
        return body["result"] if ok else None

    def passage_ok(self, doc, where):
        """A passage object is the corpus record itself: exactly id and contents."""
        ok = (isinstance(doc, dict) and sorted(doc.keys()) == ["contents", "id"]
              and isinstance(doc["id"], str) and doc["id"] in self.corpus
              and doc["contents"] == self.corpus[doc["id"]])
        return self.f.check(ok, self.what(f"{where}: not a corpus passage {{id, contents}}: "
                                          f"{str(doc)[:200]}"))

    def no_scores(self, query, topk_field):
        """topk_field: a dict merged into the request (e.g. {} or {"topk": None})."""
        lists = []
        for flag in ({}, {"return_scores": False}):
            payload = {"queries": [query], **topk_field, **flag}
            result = self.ok_response(payload, 1)
            if result is None:
                return None
            for i, doc in enumerate(result[0]):
                self.passage_ok(doc, f"no-scores {payload} @{i}")
            lists.append(result[0])
        self.f.check(lists[0] == lists[1], self.what("return_scores missing != false"))
        return lists[0]

    def with_scores(self, query, topk):
        result = self.ok_response({"queries": [query], "topk": topk, "return_scores": True}, 1)
        if result is None:
            return None
        hits = result[0]
        for i, item in enumerate(hits):
            shaped = (isinstance(item, dict) and sorted(item.keys()) == ["document", "score"]
                      and isinstance(item["score"], (int, float))
                      and not isinstance(item["score"], bool))
            if self.f.check(shaped, self.what(f"with-scores item @{i} is not "
                                              f"{{document, score}}: {str(item)[:200]}")):
                self.passage_ok(item["document"], f"with-scores @{i}")
        scores = [h["score"] for h in hits if isinstance(h, dict) and "score" in h]
        self.f.check(all(a >= b for a, b in zip(scores, scores[1:])),
                     self.what(f"scores not in descending order: {scores}"))
        return hits

    def shapes_and_topk(self, query, common_query):
        plain = self.no_scores(query, {})
        scored = self.with_scores(query, self.default_k)
        if plain is None or scored is None:
            return
        self.f.check(len(plain) == self.default_k,
                     self.what(f"topk missing gave {len(plain)} passages, want the server's "
                               f"--k {self.default_k}"))
        self.f.check(plain == [h["document"] for h in scored],
                     self.what("no-scores passages != with-scores documents"))
        for field in ({"topk": None}, {"topk": 0}):
            self.f.check(self.no_scores(query, field) == plain,
                         self.what(f"{field} is not the default topk"))
        one = self.with_scores(query, 1)
        self.f.check(one is not None and [h["document"] for h in one] == [plain[0]],
                     self.what("topk 1 is not the first passage of the default list"))
        fifty = self.with_scores(common_query, 50)
        if fifty is not None:
            self.f.check(len(fifty) == 50, self.what(f"topk 50 gave {len(fifty)} passages"))
            ids = [h["document"]["id"] for h in fifty]
            self.f.check(len(set(ids)) == len(ids), self.what("topk 50 repeats a passage"))
            three = self.with_scores(common_query, 3)
            self.f.check(three == fifty[:3], self.what("topk 3 is not the prefix of topk 50"))

    def edge_queries(self, vocabulary):
        result = self.ok_response({"queries": [], "topk": 3, "return_scores": True}, 0)
        self.f.check(result == [], self.what(f"empty queries list gave {result}"))
        self.ok_response({"queries": []}, 0)
        for q in UNICODE_QUERIES:
            hits = self.with_scores(q, 3)
            self.f.check(hits is not None and len(hits) <= 3, self.what(f"unicode query {q!r}"))
        if self.retriever == "bm25":
            hits = self.with_scores("東京", 3)
            want = any("東京" in c for c in self.corpus.values())
            self.f.check(not want or (hits and "東京" in hits[0]["document"]["contents"]),
                         self.what("the passage holding 東京 is not bm25's top hit for 東京"))
        rng = random.Random(30)
        long_query = " ".join(rng.choice(vocabulary) for _ in range(6000))
        hits = self.with_scores(long_query, 3)
        self.f.check(hits is not None and len(hits) == 3,
                     self.what(f"a {len(long_query):,}-character query gave "
                               f"{None if hits is None else len(hits)} passages"))

    def many_queries(self, vocabulary):
        rng = random.Random(512)
        queries = [" ".join(rng.choice(vocabulary) for _ in range(rng.randint(1, 8)))
                   for _ in range(512)]
        t0 = time.time()
        batch = self.ok_response({"queries": queries, "topk": 3, "return_scores": True}, 512)
        seconds = time.time() - t0
        if batch is None:
            return
        print(f"  [{self.retriever}] 512 queries in one request: {seconds:.2f}s", flush=True)
        for i in range(0, 512, 37):
            alone = self.with_scores(queries[i], 3)
            self.f.check(alone == batch[i], self.what(f"query {i} of 512 differs from the same "
                                                      f"query alone"))

    def rollout_rendering(self, rollouts):
        path = os.path.join(rollouts, self.retriever + ".jsonl")
        records = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
        self.f.check(len(records) > 0, self.what(f"no rollout searches in {path}"))
        trailing = 0
        for r in records:
            scored = self.with_scores(r["query"], r["topk"])
            plain = self.ok_response({"queries": [r["query"]], "topk": r["topk"]}, 1)
            if scored is None or plain is None:
                continue
            ids = [h["document"]["id"] for h in scored]
            self.f.check(ids == r["doc_ids"], self.what(f"server ids {ids} != rollout ids "
                                                        f"{r['doc_ids']} for {r['query']!r}"))
            rendered = information(scored, True)
            self.f.check(rendered == r["information"],
                         self.what(f"rendering differs for {r['query']!r}:\n  search-r1: "
                                   f"{rendered!r}\n  rollout:   {r['information']!r}"))
            self.f.check(information(plain[0], False) == rendered,
                         self.what("no-scores rendering differs from with-scores rendering"))
            last = scored[-1]["document"]["contents"] if scored else ""
            trailing += last != last.rstrip() and last.rstrip(" \t\n\r\f\v") == last
        print(f"  [{self.retriever}] {len(records)} rollout observations rendered; {trailing} end "
              f"in a passage with trailing non-ASCII whitespace", flush=True)
        return trailing


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--serve", required=True, help="command that runs `retrieval serve`")
    ap.add_argument("--index", required=True)
    ap.add_argument("--corpus", required=True, help="the corpus JSONL the index was built from")
    ap.add_argument("--rollouts", help="folder of <retriever>.jsonl (query, topk, doc_ids, "
                    "information) from `rollout eval`; without it the rendering is not compared")
    args = ap.parse_args()
    corpus = {}
    for line in open(args.corpus, encoding="utf-8"):
        if line.strip():
            rec = json.loads(line)
            corpus[str(rec["id"])] = rec["contents"]
    vocabulary = sorted({w for c in corpus.values() for w in c.split() if w.isascii()
                         and w.isalpha() and len(w) > 3})
    counts = {}
    for c in corpus.values():
        for w in set(c.split()):
            if w in vocabulary:
                counts[w] = counts.get(w, 0) + 1
    common_query = " ".join(sorted(vocabulary, key=lambda w: -counts[w])[:10])
    query = " ".join(vocabulary[:3])
    fails = Failures()
    trailing = 0
    t0 = time.time()
    logs = {r: tempfile.TemporaryFile("w+") for r, _ in SERVERS}
    procs = {}
    try:
        # Started together: each JVM's start and index opening overlap the others'.
        for retriever, k in SERVERS:
            procs[retriever] = launch(args.serve, args.index, retriever, k, logs[retriever])
        for retriever, k in SERVERS:
            url = ready(procs[retriever], retriever)
            print(f"[{retriever}] {url} up after {time.time() - t0:.1f}s", flush=True)
            t1 = time.time()
            c = Conformance(url, retriever, k or 3, corpus, fails)
            c.shapes_and_topk(query, common_query)
            c.edge_queries(vocabulary)
            c.many_queries(vocabulary)
            if args.rollouts:
                trailing += c.rollout_rendering(args.rollouts)
            print(f"[{retriever}] checked in {time.time() - t1:.1f}s", flush=True)
    finally:
        failed = fails.items or sys.exc_info()[0] is not None
        for retriever, proc in procs.items():
            proc.terminate()
            proc.wait(timeout=30)
            if failed:
                logs[retriever].seek(0)
                sys.stdout.write(f"--- {retriever} server log (tail) ---\n"
                                 + logs[retriever].read()[-3000:])
            logs[retriever].close()
    fails.check(not args.rollouts or trailing > 0, "no rollout observation ended in a passage with trailing "
                              "non-ASCII whitespace: the corpus does not exercise str.strip()")
    print(f"{fails.checks} checks, {len(fails.items)} failed")
    return 1 if fails.items else 0


if __name__ == "__main__":
    sys.exit(main())
