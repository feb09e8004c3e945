"""Write a valid synthetic data set (data/ and seeds/) at any scale, for benchmarks.

    python benchmarks/generate.py --orgs 200 --topics 30 --quotes 20000 --sources 500 --out /tmp/atlas-big

Every quote is a verbatim span of its generated source; the set has several traditions,
contested stances, and every attribution. `python -m dashboard validate` accepts it.
"""
from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

import yaml

SYLLABLES = ["so", "ci", "al", "ism", "work", "er", "state", "cap", "it", "rev", "o", "lu", "tion", "par", "ty",
             "mass", "class", "strug", "gle", "bu", "reau", "cra", "cy", "in", "ter", "na", "ion", "de", "mo",
             "crat", "ic", "u", "nion", "strike", "im", "pe", "ri", "camp", "front", "left", "wing", "peo", "ple"]


def make_vocab(rng: random.Random, n: int = 3000) -> list[str]:
    words = set()
    while len(words) < n:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4))))
    return sorted(words)


def make_text(rng: random.Random, vocab: list[str], chars: int) -> tuple[str, list[str]]:
    """A source text of about `chars` characters, wrapped at ~72 columns with some
    hyphenation at line ends, and the list of its sentences (quotable, verbatim)."""
    sentences = []
    total = 0
    while total < chars:
        n = rng.randint(8, 30)
        words = [rng.choice(vocab) for _ in range(n)]
        words[0] = words[0].capitalize()
        s = " ".join(words) + rng.choice([".", ".", ".", "?", ";"])
        sentences.append(s)
        total += len(s) + 1
    line = ""
    paragraphs = []
    para = []
    for s in sentences:
        para.append(s)
        if rng.random() < 0.15:
            paragraphs.append(" ".join(para))
            para = []
    if para:
        paragraphs.append(" ".join(para))
    out = []
    for p in paragraphs:
        line = ""
        for w in p.split(" "):
            if len(line) + len(w) + 1 > 72:
                if len(w) > 6 and rng.random() < 0.2:  # hyphenate at the line end
                    cut = len(w) // 2
                    out.append(line + " " + w[:cut] + "-")
                    line = w[cut:]
                    continue
                out.append(line)
                line = w
            else:
                line = f"{line} {w}" if line else w
        out.append(line)
        out.append("")
    return "\n".join(out) + "\n", sentences


def term_words(vocab: list[str], topic: int, position: int) -> list[str]:
    """A position's terms: 40 words of the vocabulary (deterministic: no draw from the generator's
    random sequence, so that the rest of the data set is as before)."""
    start = (topic * 5 + position) * 40 % len(vocab)
    return [vocab[(start + i) % len(vocab)] for i in range(40)]


def state_it(view: dict, vocab: list[str], topic: int) -> None:
    """Mark the first quote of a stance or counter view as stating its position; when it uses
    none of the position's terms (most do not), the view carries an editors' reading."""
    first = view["quotes"][0]
    first["states"] = True
    words = set(re.findall(r"[a-z]+", first["text"].lower()))
    if not words & set(term_words(vocab, topic, int(view["position"].split("-")[1]))):
        view["reading"] = "The editors read the position from the quotes."


def generate(orgs: int, topics: int, quotes: int, sources: int, out: Path, seed: int = 1) -> dict:
    rng = random.Random(seed)
    vocab = make_vocab(rng)
    data, seeds = out / "data", out / "seeds"
    (data / "organizations").mkdir(parents=True, exist_ok=True)
    seeds.mkdir(parents=True, exist_ok=True)

    traditions = [{"id": "trad-0", "name": "Tradition 0", "description": "The root current."}]
    for i in range(1, 8):
        traditions.append({"id": f"trad-{i}", "name": f"Tradition {i}", "description": f"A current, number {i}.",
                           "parent": f"trad-{rng.randrange(i)}"})
    topic_list = []
    for t in range(topics):
        positions = [{"id": f"pos-{p}", "label": f"Position {p} on topic {t}",
                      "definition": f"A definition of position {p}.", "family": f"fam-{p // 2}",
                      "terms": term_words(vocab, t, p)}
                     for p in range(5)]
        topic_list.append({"id": f"topic-{t}", "name": f"Topic {t}", "question": f"What about question {t}?",
                           "positions": positions})

    texts = []
    source_list = []
    per_source = max(2000, int(10_000_000 / max(sources, 1) * (sources / 500))) if sources >= 500 else 20000
    for s in range(sources):
        text, sentences = make_text(rng, vocab, per_source)
        fname = f"src-{s:04d}.txt"
        (seeds / fname).write_text(text, encoding="utf-8")
        texts.append(sentences)
        source_list.append({"id": f"source-{s}", "title": f"Source text {s}", "authors": [f"Author {s % 50}"],
                            "publication": f"Publication {s % 20}", "date": f"{2000 + s % 25}-{1 + s % 12:02d}",
                            "kind": rng.choice(["article", "polemic", "pamphlet", "blog post with comments"]),
                            "file": fname})

    org_ids = [f"org-{o}" for o in range(orgs)]
    # cells that have a stance: about 70% of organization x topic
    cells = [(o, t) for o in range(orgs) for t in range(topics) if rng.random() < 0.7]
    per_cell = max(1, quotes // max(len(cells), 1))
    used: set[tuple[int, int]] = set()

    def quote(org: int, attribution: str) -> dict:
        while True:
            s = rng.randrange(sources)
            i = rng.randrange(len(texts[s]))
            if (s, i) not in used:
                used.add((s, i))
                break
        speaker_org = org_ids[org] if attribution == "self" else (
            org_ids[(org + rng.randrange(1, orgs)) % orgs] if attribution == "critic" else None)
        q = {"text": texts[s][i], "source": f"source-{s}", "speaker": f"Speaker {rng.randrange(1000)}",
             "attribution": attribution}
        if speaker_org:
            q["speaker_org"] = speaker_org
        return q

    org_docs = {o: {"id": org_ids[o], "name": f"Organization number {o}", "short_name": f"O{o}",
                    "country": f"Country {o % 40}", "tradition": f"trad-{o % 8}", "stances": []}
                for o in range(orgs)}
    made = 0
    for n, (o, t) in enumerate(cells):
        k = per_cell + (1 if n < quotes - per_cell * len(cells) else 0)
        if k <= 0:
            continue
        attrs = [rng.choices(["self", "critic", "observer"], weights=[6, 3, 1])[0] for _ in range(k)]
        position = f"pos-{rng.randrange(5)}"
        stance = {"topic": f"topic-{t}", "position": position, "summary": f"Organization {o} on topic {t}.",
                  "quotes": []}
        contested = rng.random() < 0.1 and "critic" in attrs and "self" in attrs
        counter = []
        for a in attrs:
            q = quote(o, a)
            if contested and a == "critic":
                counter.append(q)
            else:
                stance["quotes"].append(q)
        state_it(stance, vocab, t)
        if counter:
            stance["counter"] = [{"position": f"pos-{(int(position[-1]) + 1) % 5}",
                                  "summary": "Critics describe it otherwise.", "quotes": counter}]
            state_it(stance["counter"][0], vocab, t)
        org_docs[o]["stances"].append(stance)
        made += k
    for o, doc in org_docs.items():
        (data / "organizations" / f"{doc['id']}.yaml").write_text(
            yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")
    (data / "sources.yaml").write_text(yaml.safe_dump({"sources": source_list}, sort_keys=False), encoding="utf-8")
    (data / "topics.yaml").write_text(yaml.safe_dump({"topics": topic_list}, sort_keys=False), encoding="utf-8")
    (data / "traditions.yaml").write_text(yaml.safe_dump({"traditions": traditions}, sort_keys=False),
                                          encoding="utf-8")
    size = sum(p.stat().st_size for p in seeds.iterdir())
    return {"organizations": orgs, "topics": topics, "quotes": made, "sources": sources, "stances": len(cells),
            "source_bytes": size}


def add_size_arguments(p: argparse.ArgumentParser) -> None:
    """The sizes of a data set, defaulting to the target scale (shared with benchmarks/run.py)."""
    p.add_argument("--orgs", type=int, default=200)
    p.add_argument("--topics", type=int, default=30)
    p.add_argument("--quotes", type=int, default=20000)
    p.add_argument("--sources", type=int, default=500)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_size_arguments(p)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", required=True)
    a = p.parse_args(argv)
    info = generate(a.orgs, a.topics, a.quotes, a.sources, Path(a.out), a.seed)
    print(" ".join(f"{k}={v}" for k, v in info.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
