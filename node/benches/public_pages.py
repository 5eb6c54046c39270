#!/usr/bin/env python3
"""Times the public pages of a running madini-node (issue 14, "Performance").

Usage: public_pages.py URL [N]   (URL of a node serving a big ledger, e.g.
`madini-node generate --lots ... --data D` then `madini-node serve --data D`).

Prints, per page and language: the first request's time (the summary of a new
tree size is computed then), p50 and p99 of N further requests on one
keep-alive connection, and the gzip-compressed size; and the same figures for
`/healthz`, the trivial route, as this machine's limit in the same run.
"""
import gzip, http.client, json, sys, time, urllib.parse

url = urllib.parse.urlparse(sys.argv[1])
n = int(sys.argv[2]) if len(sys.argv) > 2 else 200
conn = http.client.HTTPConnection(url.hostname, url.port)

def get(path):
    t = time.perf_counter()
    conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
    r = conn.getresponse()
    body = r.read()
    return time.perf_counter() - t, r.status, body, r.getheader("Content-Encoding")

def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p))]

def get_json(path):
    _, _, body, enc = get(path)
    return json.loads(gzip.decompress(body) if enc == "gzip" else body)

site = urllib.parse.quote(get_json("/v1/sites")["sites"][0]["record"]["id"], safe="")
actor = urllib.parse.quote(get_json("/v1/actors")["actors"][1]["profile"]["id"], safe="")
print(f"tree size {get_json('/v1/log')['tree_size']}")
print(f"{'page':<28} {'first ms':>9} {'p50 ms':>8} {'p99 ms':>8} {'gzip KB':>8} {'raw KB':>8}")
rows = [("/healthz", None)]
for lang in ["en", "fr", "sw"]:
    rows += [("/", lang), (f"/sites/{site}", lang), (f"/actors/{actor}", lang)]
for path, lang in rows:
    p = path + (f"?lang={lang}" if lang else "")
    first, status, body, enc = get(p)
    assert status == 200, (p, status)
    times = [get(p)[0] for _ in range(n)]
    raw = gzip.decompress(body) if enc == "gzip" else body
    gz = len(body) if enc == "gzip" else len(gzip.compress(body))
    label = (path if len(path) < 20 else path[:19] + "…") + (f" {lang}" if lang else "")
    print(f"{label:<28} {first*1e3:>9.1f} {pct(times,.5)*1e3:>8.2f} {pct(times,.99)*1e3:>8.2f} {gz/1024:>8.1f} {len(raw)/1024:>8.1f}")
