#!/usr/bin/env python3
"""Picks the committed corpus of a fuzz target: a greedy cover of the coverage edges in a libFuzzer
merge control file (most new edges per 4 KiB first), capped in files and bytes.

Usage: python3 cover.py CONTROL_FILE OUT_DIR MAX_FILES [MAX_BYTES]  (see RELIABILITY.md)
"""
import sys, os, shutil
# greedy set cover on a libFuzzer merge control file's COV lines
cf, outdir, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
budget = int(sys.argv[4]) if len(sys.argv) > 4 else 1 << 40
used = 0
lines = open(cf, errors='replace').read().split('\n')
n = int(lines[0]); files = lines[2:2+n]
cov = {}
for l in lines[2+n:]:
    p = l.split()
    if len(p) >= 2 and p[0] == 'COV':
        cov[int(p[1])] = set(p[2:])
covered = set(); chosen = []
allcov = set().union(*cov.values()) if cov else set()
while len(chosen) < limit:
    for i in [i for i in cov if used + os.path.getsize(files[i]) > budget]: del cov[i]
    best = max(cov, key=lambda i: (len(cov[i] - covered) / (1 + os.path.getsize(files[i]) / 4096), -os.path.getsize(files[i])), default=None)
    if best is None or not (cov[best] - covered): break
    covered |= cov[best]; chosen.append(best); used += os.path.getsize(files[best]); del cov[best]
os.makedirs(outdir, exist_ok=True)
for i in chosen:
    shutil.copy(files[i], os.path.join(outdir, os.path.basename(files[i])))
print(f"{used} bytes, {len(chosen)} files cover {len(covered)}/{len(allcov)} edges")
