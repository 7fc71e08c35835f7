# Generator of splitter-vectors.jsonl; see splitter-vectors.md for the set-up it runs in.
"""Random bundles through pycti's own splitter -> JSON lines of input and expected output."""
import copy, json, os, random, sys
# usage: PYCTI_ORACLE=<dir holding pycti/ and the stix2 stand-ins> gen-splitter-vectors.py COUNT SEED [MAX_OBJECTS]
sys.path.insert(0, os.environ.get("PYCTI_ORACLE", "."))
from pycti.utils.opencti_stix2_splitter import OpenCTIStix2Splitter

TYPES = ["indicator", "ipv4-addr", "identity", "relationship", "sighting", "report",
         "x-custom", "marking-definition", "note"]

def case(rnd):
    n = rnd.randint(1, MAXN)
    objs, ids = [], []
    for i in range(n):
        t = rnd.choice(TYPES)
        oid = rnd.choice(ids) if ids and rnd.random() < 0.08 else f"{t}--{i}"
        ids.append(oid)
        objs.append({"type": t, "id": oid})
    aliases = []
    for o in objs:
        r = rnd.random()
        if r < 0.1:
            o["x_opencti_id"] = f"internal-{len(aliases)}"; aliases.append(o["x_opencti_id"])
        elif r < 0.15:
            o["extensions"] = {"extension-definition--ea279b3e-5c71-4632-ac08-831c66a786ba": {"id": f"ext-{len(aliases)}"}}
            aliases.append(f"ext-{len(aliases)}")
    pool = ids + aliases + ["indicator--missing", "x-custom--9", "foo", "identity--missing"]
    pick = lambda: rnd.choice(pool)
    for o in objs:
        keys = []
        if rnd.random() < 0.1:
            o["nb_deps"] = 42
        if o["type"] == "relationship":
            o["source_ref"] = None if rnd.random() < 0.1 else pick()
            o["target_ref"] = None if rnd.random() < 0.1 else pick()
        if o["type"] == "sighting":
            o["sighting_of_ref"] = None if rnd.random() < 0.1 else pick()
            o["where_sighted_refs"] = [pick() for _ in range(rnd.randint(0, 2))]
        if rnd.random() < 0.6:
            o["created_by_ref"] = None if rnd.random() < 0.1 else pick()
        if rnd.random() < 0.6:
            o["object_marking_refs"] = None if rnd.random() < 0.1 else [pick() for _ in range(rnd.randint(0, 4))]
        if o["type"] in ("report", "note") and rnd.random() < 0.8:
            o["object_refs"] = [pick() for _ in range(rnd.randint(0, 6))]
        if rnd.random() < 0.2:
            o["x_opencti_created_by_ref"] = pick()
        if rnd.random() < 0.3:
            o["external_references"] = [
                {k: v for k, v in (("source_name", rnd.choice(["a", "b", None])),
                                   ("url", rnd.choice(["https://x/1", "https://x/2", None, None])),
                                   ("external_id", rnd.choice(["E1", "E2", None]))) if v is not None or rnd.random() < 0.3}
                for _ in range(rnd.randint(0, 4))]
        if rnd.random() < 0.2:
            o["kill_chain_phases"] = [
                {k: v for k, v in (("kill_chain_name", rnd.choice(["mitre", None])),
                                   ("phase_name", rnd.choice(["p1", "p2", None]))) if v is not None or rnd.random() < 0.5}
                for _ in range(rnd.randint(0, 3))]
        if rnd.random() < 0.3:
            o["name"] = rnd.choice(["x", "caf\u00e9", "\U0001F600", "a\"b\\c\n\t\x01\x7f"])
        # shuffle key order a little, keeping type/id first
        rest = [k for k in o if k not in ("type", "id")]
        rnd.shuffle(rest)
        items = [("type", o["type"]), ("id", o["id"])] + [(k, o[k]) for k in rest]
        o.clear(); o.update(items)
    return {"type": "bundle", "id": f"bundle--case", "objects": objs}

MAXN = int(sys.argv[3]) if len(sys.argv) > 3 else 8
def main(count, seed):
    rnd = random.Random(seed)
    for _ in range(count):
        b = case(rnd)
        cleanup = rnd.random() < 0.2
        given = copy.deepcopy(b)
        n, incompatible, bundles = OpenCTIStix2Splitter().split_bundle_with_expectations(
            json.dumps(b), cleanup_inconsistent_bundle=cleanup)
        print(json.dumps({"cleanup": cleanup, "bundle": given, "expectations": n,
                          "bundles": bundles, "incompatible": [json.dumps(i) for i in incompatible]}))

main(int(sys.argv[1]), int(sys.argv[2]))
