"""How well the support check tells sentences a passage backs from those it does not.

    python -m bench.support --split tune      # choose the threshold here (its mistakes are printed); tune3 too
    python -m bench.support --split heldout   # reported once, then read: a second tuning set
    python -m bench.support --split tune2     # a third tuning set, with negations and misattributions (tune3 to tune9 too)
    python -m bench.support --split fresh2    # report here: written apart, its mistakes never printed (fresh: the older one)

Each case of bench/data/support_<split>.yaml is a passage from one corpus item, one sentence as a
model might write it about the passage, and whether the passage supports it (copies, paraphrases,
summaries; or a wrong number, name, date, quote, an invented honour or fact). Prints, per
threshold, the share of supported sentences kept and of unsupported ones let through, then the
mistakes at the configured threshold.
"""

import argparse
import time
from collections import Counter
from pathlib import Path

import yaml

from bot.chat.support import Checker
from bot.config import Settings
from bot.index.corpus import load_corpus

DATA = Path(__file__).parent / "data"
THRESHOLDS = (0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["tune", "heldout", "tune2", "tune3", "tune4", "tune5", "tune6", "tune7", "tune8", "tune9", "fresh", "fresh2"], default="tune")
    args = parser.parse_args()
    settings = Settings()
    cases = yaml.safe_load((DATA / f"support_{args.split}.yaml").read_text(encoding="utf-8"))
    items = {i.id: i for i in load_corpus(settings.corpus_dir).items}
    checker = Checker.for_items(items.values())
    results = []
    start = time.perf_counter()
    for case in cases:
        item = items[case["item"]]
        results.append((case, checker.support(case["sentence"], f"《{item.title}》{item.person}。{case['passage']}")))
    per_check = (time.perf_counter() - start) * 1000 / len(cases)
    good = [r for r in results if r[0]["supported"]]
    bad = [r for r in results if not r[0]["supported"]]
    print(f"{args.split}: {len(good)} supported, {len(bad)} unsupported sentences; {per_check:.1f} ms per check")
    print("threshold  supported kept  unsupported let through")
    for t in THRESHOLDS:
        kept = sum(s.ok(t) for _, s in good) / len(good)
        through = sum(s.ok(t) for _, s in bad) / len(bad)
        mark = "  <- configured" if abs(t - settings.llm_support) < 1e-9 else ""
        print(f"{t:9.2f}  {kept:14.3f}  {through:23.3f}{mark}")
    t = settings.llm_support
    lost = Counter(c["kind"] for c, s in good if not s.ok(t))
    through = Counter(c["kind"] for c, s in bad if s.ok(t))
    print(f"\nat {t}: supported kinds lost {dict(lost)}; unsupported kinds let through {dict(through)}")
    caught = Counter(c["kind"] for c, s in bad if s.missing)
    print(f"unsupported caught by a missing name/number/honour/quote alone: {sum(caught.values())}/{len(bad)}")
    if not args.split.startswith("fresh"):
        for c, s in results:
            if s.ok(t) != c["supported"]:
                print(f"  {'LOST' if c['supported'] else 'THROUGH'} {c['kind']:18} cov={s.coverage:.2f} "
                      f"missing={list(s.missing)} {c['sentence']}")


if __name__ == "__main__":
    main()
