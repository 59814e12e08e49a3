#!/usr/bin/env python3
# Vendored from the project's shared evaluation kit (shared/eval/score.py), unchanged below this line,
# so that releases can report accuracy against gold/ on a fresh checkout.
"""Score a newsledger output folder against gold annotations.

usage: score.py OUTPUT_DIR GOLD.json [GOLD.json ...] [--json]

Reads OUTPUT_DIR/parquet/{articles,people,claims,events}.parquet (a file or a
dataset folder) and compares them with hand-made gold annotations.  Matching is
by text, not offsets, so HTML input and different sentence splitters score
alike.
"""
import json, re, sys, unicodedata
from pathlib import Path

import pandas as pd


def norm(s):
    s = unicodedata.normalize("NFKD", str(s))
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.lower().replace("’", "'").replace("“", '"').replace("”", '"')
    s = re.sub(r"\b(mr|mrs|ms|dr)\b\.?", " ", s)
    s = re.sub(r"[^a-z0-9' ]+", " ", s)
    return " ".join(s.split())


def toks(s):
    return norm(s).split()


def overlap(a, b):
    """token F1 between two strings, and containment either way"""
    ta, tb = toks(a), toks(b)
    if not ta or not tb:
        return 0.0
    na, nb = " ".join(ta), " ".join(tb)
    if na in nb or nb in na:
        short, long_ = sorted([len(ta), len(tb)])
        return max(0.6, short / long_) if short >= 1 else 0.0
    from collections import Counter
    ca, cb = Counter(ta), Counter(tb)
    common = sum((ca & cb).values())
    if not common:
        return 0.0
    p, r = common / len(ta), common / len(tb)
    return 2 * p * r / (p + r)


def contains(big, small):
    return norm(small) in norm(big)


def load(out, name):
    base = Path(out) / "parquet"
    for cand in [base / f"{name}.parquet", base / name]:
        if cand.exists():
            return pd.read_parquet(cand)
    hits = sorted(base.rglob(f"{name}*.parquet")) if base.exists() else []
    if hits:
        return pd.concat([pd.read_parquet(h) for h in hits], ignore_index=True)
    raise SystemExit(f"no {name} table under {base}")


def col(df, *names):
    for n in names:
        if n in df.columns:
            return n
    return None


def as_list(v):
    if v is None:
        return []
    if isinstance(v, str):
        v = v.strip()
        if v.startswith("["):
            try:
                return list(json.loads(v))
            except Exception:
                pass
        return [x for x in re.split(r"[;|]", v) if x.strip()]
    try:
        return list(v)
    except TypeError:
        return [v]


def date_at(value, precision):
    if value is None or (isinstance(value, float) and value != value):
        return None
    s = str(value)[:10]
    return {"day": s[:10], "month": s[:7], "year": s[:4]}[precision]


def score(out, golds):
    arts = load(out, "articles")
    people = load(out, "people")
    claims = load(out, "claims")
    events = load(out, "events")
    src = col(arts, "source_path", "source", "path", "file", "source_file")
    art_of = {}
    for _, r in arts.iterrows():
        art_of[Path(str(r[src])).name] = r
    pname, paliases = col(people, "name", "canonical_name"), col(people, "aliases")
    part = col(people, "article_ids", "articles")
    rep = {"articles": [], "totals": {}}
    seen_ids = {}  # gold person name -> list of predicted id sets, one per article
    T = dict(p_gold=0, p_hit=0, p_pred=0, p_pred_ok=0, p_split=0, p_bad=0,
             c_gold=0, c_hit=0, c_attr=0, c_pred=0, c_pred_ok=0,
             e_gold=0, e_hit=0, e_dated=0, e_pred=0, e_pred_ok=0,
             d_gold=0, d_ok=0, boiler=0)
    for g in golds:
        name = g["article"]
        a = art_of.get(name)
        ar = {"article": name}
        if a is None:
            ar["missing"] = True
            T["p_gold"] += len(g["people"]); T["c_gold"] += sum(not c.get("optional") for c in g["claims"])
            T["e_gold"] += sum(not e.get("optional") for e in g["events"]); T["d_gold"] += 1
            rep["articles"].append(ar); continue
        aid = a[col(arts, "article_id", "id")]
        # publication date
        T["d_gold"] += 1
        pd_col = col(arts, "published_date", "published", "publication_date", "date")
        got = date_at(a[pd_col], "day") if pd_col else None
        ar["published"] = [got, g["published_date"]]
        T["d_ok"] += got == g["published_date"]
        # people of this article
        if part:
            mine = people[people[part].apply(lambda v: aid in as_list(v))]
        else:
            mine = people
        names_of = []
        for _, r in mine.iterrows():
            names_of.append((r[col(people, "person_id", "id")], [r[pname]] + (as_list(r[paliases]) if paliases else [])))
        gold_names = {}
        for gp in g["people"]:
            for n in [gp["name"]] + gp.get("aliases", []):
                gold_names[norm(n)] = gp["name"]
        hit_ids = {}
        for gp in g["people"]:
            T["p_gold"] += 1
            keys = {norm(n) for n in [gp["name"]] + gp.get("aliases", [])}
            ids = [pid for pid, ns in names_of if keys & {norm(n) for n in ns}]
            if ids:
                seen_ids.setdefault(gp["name"], []).append(set(ids))
                T["p_hit"] += 1
                if len(set(ids)) > 1:
                    T["p_split"] += 1
                for i in ids:
                    hit_ids[i] = gp["name"]
        T["p_pred"] += len(names_of)
        T["p_pred_ok"] += sum(1 for pid, _ in names_of if pid in hit_ids)
        bad = [ns[0] for pid, ns in names_of if any(norm(n) in {norm(x) for x in g.get("not_people", [])} for n in ns)]
        T["p_bad"] += len(bad)
        extra = [ns[0] for pid, ns in names_of if pid not in hit_ids]
        ar["people_extra"] = extra
        # claims
        cart = col(claims, "article_id")
        cl = claims[claims[cart] == aid]
        ctext, cspk = col(claims, "claim_text", "text", "quote"), col(claims, "speaker_name", "speaker")
        used = set()
        misses, wrong = [], []
        for gc in g["claims"]:
            best, bi = 0.0, None
            for i, r in cl.iterrows():
                o = overlap(r[ctext], gc["text"])
                alt = max([overlap(r[ctext], t) for t in gc.get("alt_texts", [])] or [0])
                o = max(o, alt)
                if o > best and i not in used:
                    best, bi = o, i
            if not gc.get("optional"):
                T["c_gold"] += 1
            if best >= 0.6:
                used.add(bi)
                if gc.get("optional"):
                    continue
                T["c_hit"] += 1
                spk = str(cl.loc[bi, cspk]) if cspk else ""
                ok = False
                gold_spk = gc["speaker"]
                keys = {norm(gold_spk)}
                for gp in g["people"]:
                    if gp["name"] == gold_spk:
                        keys |= {norm(n) for n in gp.get("aliases", [])}
                if norm(spk) in keys or any(k and (k in norm(spk) or (norm(spk) and norm(spk) in k and gc.get("speaker_kind"))) for k in keys):
                    ok = True
                T["c_attr"] += ok
                if not ok:
                    wrong.append([gc["text"][:40], spk, gold_spk])
            elif not gc.get("optional"):
                misses.append(gc["text"][:50])
        T["c_pred"] += len(cl)
        T["c_pred_ok"] += len(used)
        ar["claims_missed"], ar["claims_wrong_speaker"] = misses, wrong
        ar["claims_extra"] = [str(r[ctext])[:60] for i, r in cl.iterrows() if i not in used]
        for b in g.get("boilerplate", []):
            if any(contains(str(r[ctext]), b) for _, r in cl.iterrows()):
                T["boiler"] += 1
        # events
        ev = events[events[col(events, "article_id")] == aid]
        etext = col(events, "evidence_text", "sentence", "evidence", "sentence_text")
        edate, eprec = col(events, "date_start", "date", "event_date"), col(events, "date_precision", "precision")
        used_e = set()
        emiss, edatewrong = [], []
        for ge in g["events"]:
            evid = [ge["evidence"]] + ge.get("alt_evidence", [])
            cands = [i for i, r in ev.iterrows() if i not in used_e and any(contains(str(r[etext]), x) or overlap(r[etext], x) >= 0.5 for x in evid)]
            if not ge.get("optional"):
                T["e_gold"] += 1
            if not cands:
                if not ge.get("optional"):
                    emiss.append(ge["id"])
                continue
            dated = [i for i in cands if date_at(ev.loc[i, edate], ge["precision"]) == ge["date"]]
            pick = dated[0] if dated else cands[0]
            used_e.add(pick)
            if ge.get("optional"):
                continue
            T["e_hit"] += 1
            if dated:
                T["e_dated"] += 1
            else:
                edatewrong.append([ge["id"], str(ev.loc[pick, edate])[:10], ge["date"]])
        T["e_pred"] += len(ev)
        # a predicted event in a gold sentence counts as precise even if not the one picked
        gold_ev = [x for ge in g["events"] for x in [ge["evidence"]] + ge.get("alt_evidence", [])]
        T["e_pred_ok"] += sum(1 for i, r in ev.iterrows() if any(contains(str(r[etext]), x) or overlap(r[etext], x) >= 0.5 for x in gold_ev))
        ar["events_missed"], ar["events_date_wrong"] = emiss, edatewrong
        rep["articles"].append(ar)
    multi = {n: sets for n, sets in seen_ids.items() if len(sets) > 1}
    merged = sum(1 for sets in multi.values() if set.intersection(*sets))
    union = {n: set().union(*sets) for n, sets in seen_ids.items()}
    names = sorted(union)
    wrong = sum(1 for i, a in enumerate(names) for b in names[i + 1:] if union[a] & union[b])
    d = lambda a, b: round(a / b, 3) if b else 0.0
    pp, pr = d(T["p_pred_ok"], T["p_pred"]), d(T["p_hit"], T["p_gold"])
    rep["totals"] = T
    rep["metrics"] = {
        "people_recall": pr, "people_precision": pp,
        "people_f1": round(2 * pp * pr / (pp + pr), 3) if pp + pr else 0.0,
        "people_split": T["p_split"], "people_cross_article": f"{merged}/{len(multi)}", "people_wrong_merges": wrong, "people_not_people": T["p_bad"],
        "claims_recall": d(T["c_hit"], T["c_gold"]), "claims_attribution": d(T["c_attr"], T["c_hit"]),
        "claims_precision": d(T["c_pred_ok"], T["c_pred"]),
        "events_recall": d(T["e_hit"], T["e_gold"]), "events_dated_recall": d(T["e_dated"], T["e_gold"]),
        "events_precision": d(T["e_pred_ok"], T["e_pred"]),
        "published_dates": f'{T["d_ok"]}/{T["d_gold"]}', "boilerplate_leaks": T["boiler"],
    }
    return rep


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    out, gold_files = args[0], args[1:]
    golds = []
    for f in gold_files:
        g = json.load(open(f))
        golds += g if isinstance(g, list) else [g]
    rep = score(out, golds)
    if "--json" in sys.argv:
        print(json.dumps(rep, indent=1, default=str))
    m = rep["metrics"]
    print(" ".join(f"{k}={v}" for k, v in m.items()))


if __name__ == "__main__":
    main()
