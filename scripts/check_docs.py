#!/usr/bin/env python3
"""`make docs`: every citation of a docs page (its file, and its section after §) in the tree names a file and a section that
exist, and every relative Markdown link in README.md, docs/ and the module READMEs resolves.
Exits non-zero with one line per broken reference."""
import pathlib, re, subprocess, sys

root = pathlib.Path(__file__).resolve().parent.parent
files = subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True).stdout.split()
texts = [f for f in files if f.endswith((".swift", ".md", ".py", ".sh", ".txt", ".ipynb")) or f == "Makefile"]

def sections(doc):
    """Section numbers of a docs file: headings like `## 2.` or `### 2.6 Title` or `## 5. chi ...`."""
    out = set()
    for line in (root / doc).read_text().splitlines():
        m = re.match(r"#{1,6}\s+(\d+(?:\.\d+)*)\.?\s", line)
        if m:
            out.add(m.group(1))
    return out

cache = {}
problems = []
cite = re.compile(r"(docs/[A-Za-z0-9_-]+\.md)(?:\s+§(\d+(?:\.\d+)*))?")
for f in texts:
    text = (root / f).read_text(errors="replace")
    for n, line in enumerate(text.splitlines(), 1):
        for m in cite.finditer(line):
            doc, sec = m.group(1), m.group(2)
            if not (root / doc).exists():
                problems.append(f"{f}:{n}: {doc} does not exist")
                continue
            if sec:
                known = cache.setdefault(doc, sections(doc))
                if sec.rstrip(".") not in known:
                    problems.append(f"{f}:{n}: {doc} has no section §{sec}")
link = re.compile(r"\]\(([^)#\s]+)(#[^)]*)?\)")
def anchors(doc):
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    out = set()
    for line in doc.read_text().splitlines():
        m = re.match(r"#{1,6}\s+(.*)", line)
        if m:
            slug = re.sub(r"[^\w\- ]", "", m.group(1).strip().lower()).replace(" ", "-")
            out.add(slug)
    return out

for f in [f for f in files if f.endswith(".md")]:
    for n, line in enumerate((root / f).read_text().splitlines(), 1):
        for m in link.finditer(line):
            target, anchor = m.group(1), m.group(2)
            if re.match(r"[a-z]+:", target):
                continue
            path = (root / f).parent.joinpath(target)
            if not path.exists():
                problems.append(f"{f}:{n}: link {target} does not resolve")
            elif anchor and path.suffix == ".md" and anchor[1:] not in anchors(path):
                problems.append(f"{f}:{n}: {target} has no heading {anchor}")
for p in problems:
    print(p)
print(f"docs: {len(problems)} broken reference(s) in {len(texts)} files")
sys.exit(1 if problems else 0)
