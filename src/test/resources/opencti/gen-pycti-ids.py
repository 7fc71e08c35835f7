#!/usr/bin/env python3
"""Ids the way pycti makes them, for the expected values of tests that the pycti vectors do not cover.

pycti is not installable here, so this restates the bodies of pycti's ``generate_id`` functions (client-python
6.8.10 and 7.260817.0, ``pycti/entities/*.py``) and of python-stix2's deterministic SCO ids, with nothing of
cti-feeds' own code. It is trusted because it first reproduces every vector of both
``pycti-id-vectors-*.json`` files (made by pycti's own, unmodified code) and exits non-zero if one differs.

    python3 gen-pycti-ids.py              # check the vectors, then print the ids the tests quote
    python3 gen-pycti-ids.py --check      # check the vectors only
    python3 gen-pycti-ids.py --objects 6 FILE
        # FILE: STIX objects, one JSON a line (a run's messages); recompute each id from the object's own
        # id-contributing properties with pycti's rules for OpenCTI 6 (or 7), fail on the first that differs,
        # print the sorted ids. Made crowdsec-fixture-ids-opencti6.txt.

The ids a test quotes carry a comment naming this script; rerun it to see where they came from.
"""
import json
import os
import sys
import uuid

# pycti and python-stix2 (SCOs, STIX 2.1 section 2.9) use the same namespace
NAMESPACE = uuid.UUID("00abedb4-aa42-466c-9c01-fed23315a9b7")


def canonicalize(data):
    """python-stix2's canonicalize(data, utf8=False): RFC 8785 for string-only dicts. Keys sort by UTF-16 units."""
    def enc(v):
        if isinstance(v, dict):
            keys = sorted(v, key=lambda k: k.encode("utf-16-be"))
            return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + enc(v[k]) for k in keys) + "}"
        if isinstance(v, list):
            return "[" + ",".join(enc(x) for x in v) + "]"
        return json.dumps(v, ensure_ascii=False, separators=(",", ":"))
    return enc(data)


def gen(kind, data):
    return kind + "--" + str(uuid.uuid5(NAMESPACE, canonicalize(data)))


# ---- pycti generate_id bodies -------------------------------------------------------------------------------

def identity(name, identity_class):
    return gen("identity", {"name": name.lower().strip(), "identity_class": identity_class.lower()})


def indicator(pattern):
    return gen("indicator", {"pattern": pattern.strip()})


def observable(kind, value):
    # python-stix2: ipv4-addr / ipv6-addr / domain-name contribute their value only
    return gen(kind, {"value": value})


def attack_pattern(name, x_mitre_id=None, pycti=6):
    if pycti >= 7:
        # 7.260529.0+: folded, and a blank one falls back to the name
        if x_mitre_id is not None and x_mitre_id.strip() != "":
            return gen("attack-pattern", {"x_mitre_id": x_mitre_id.lower().strip()})
        return gen("attack-pattern", {"name": name.lower().strip()})
    if x_mitre_id is not None:
        return gen("attack-pattern", {"x_mitre_id": x_mitre_id.strip()})
    return gen("attack-pattern", {"name": name.lower().strip()})


def relationship(relationship_type, source_ref, target_ref, start_time=None, stop_time=None):
    data = {"relationship_type": relationship_type, "source_ref": source_ref, "target_ref": target_ref}
    if start_time is not None:
        data["start_time"] = start_time
        if stop_time is not None:
            data["stop_time"] = stop_time
    return gen("relationship", data)


def sighting(sighting_of_ref, where_sighted_refs, first_seen=None, last_seen=None):
    data = {"type": "sighting", "sighting_of_ref": sighting_of_ref, "where_sighted_refs": where_sighted_refs}
    if first_seen is not None:
        data["first_seen"] = first_seen
        if last_seen is not None:
            data["last_seen"] = last_seen
    return gen("sighting", data)


def note(created, content, abstract=None, pycti=6):
    data = {"content": content.strip()}
    if created is not None:
        data["created"] = created
    if pycti >= 7 and abstract is not None and abstract.strip() != "":
        data["attribute_abstract"] = abstract.strip()
    return gen("note", data)


def external_reference(url=None, source_name=None, external_id=None):
    if url is not None:
        return gen("external-reference", {"url": url})
    if source_name is not None and external_id is not None:
        return gen("external-reference", {"source_name": source_name, "external_id": external_id})
    return None


def location(name, x_opencti_location_type):
    return gen("location", {"name": name.lower().strip(), "x_opencti_location_type": x_opencti_location_type})


def vulnerability(name):
    return gen("vulnerability", {"name": name.lower().strip()})


def label(value):
    return gen("label", {"value": value})


def marking_definition(definition_type, definition):
    return gen("marking-definition", {"definition_type": definition_type, "definition": definition})


# OpenCTI's fixed TLP ids (pycti MarkingDefinition / the platform's constants), not uuid5 ones
TLP = {"TLP:AMBER+STRICT": "marking-definition--826578e1-40ad-459f-bc73-ede076f81f37"}


def by_vector(function, a, pycti):
    g = a.get
    return {
        "AttackPattern.generate_id": lambda: attack_pattern(g("name"), g("x_mitre_id"), pycti),
        "Label.generate_id": lambda: label(g("value")),
        "Note.generate_id": lambda: note(g("created"), g("content"), g("abstract"), pycti),
        "StixSightingRelationship.generate_id": lambda: sighting(g("sighting_of_ref"), g("where_sighted_refs"),
                                                                 g("first_seen"), g("last_seen")),
        "StixCoreRelationship.generate_id": lambda: relationship(g("relationship_type"), g("source_ref"),
                                                                 g("target_ref"), g("start_time"), g("stop_time")),
        "ExternalReference.generate_id": lambda: external_reference(g("url"), g("source_name"), g("external_id")),
        "Location.generate_id": lambda: location(g("name"), g("x_opencti_location_type")),
        "Identity.generate_id": lambda: identity(g("name"), g("identity_class")),
        "Indicator.generate_id": lambda: indicator(g("pattern")),
        "Vulnerability.generate_id": lambda: vulnerability(g("name")),
        "MarkingDefinition.generate_id": lambda: TLP.get(g("definition")) if g("definition_type") == "TLP"
        else marking_definition(g("definition_type"), g("definition")),
    }[function]()


def check_vectors():
    here = os.path.dirname(os.path.abspath(__file__))
    bad = 0
    for file, pycti in (("pycti-id-vectors-6.8.10.json", 6), ("pycti-id-vectors-7.260817.0.json", 7)):
        with open(os.path.join(here, file), encoding="utf-8") as f:
            for v in json.load(f)["vectors"]:
                ours = by_vector(v["function"], v["args"], pycti)
                if ours != v["id"]:
                    bad += 1
                    print(f"MISMATCH {file} {v['function']} {v['args']}: {ours} != {v['id']}", file=sys.stderr)
    if bad:
        sys.exit(f"{bad} vectors differ: this script is not pycti")


def ip_ids(ip):
    """Observable, indicator and based-on relationship of one IP, as the IP-list and CrowdSec feeds make them."""
    kind = "ipv6-addr" if ":" in ip else "ipv4-addr"
    obs = observable(kind, ip)
    ind = indicator(f"[{kind}:value = '{ip}']")
    return obs, ind, relationship("based-on", ind, obs)


def quoted():
    """Every id a test quotes that the vectors do not hold, as `label: id` lines."""
    ipsum = identity("IPsum", "organization")
    crowdsec = identity("CrowdSec", "organization")
    ind1234 = indicator("[ipv4-addr:value = '1.2.3.4']")
    obs1234 = observable("ipv4-addr", "1.2.3.4")
    out = {
        "identity IPsum": ipsum,
        "identity CrowdSec": crowdsec,
        "location United States Country": location("United States", "Country"),
        "location France Country": location("France", "Country"),
        "vulnerability CVE-2024-6387": vulnerability("CVE-2024-6387"),
        "attack-pattern T1110 (pycti 7)": attack_pattern("Brute Force", "T1110", 7),
        "attack-pattern Brute Force name only": attack_pattern("Brute Force"),
        "identity ipsum / 'organization ' (class not stripped)": identity("IPsum", "organization "),
        "indicator [IPV4-ADDR:value = '1.2.3.4']": indicator("[IPV4-ADDR:value = '1.2.3.4']"),
        "relationship based-on 1.2.3.4 start": relationship("based-on", ind1234, obs1234,
                                                            "2024-01-01T00:00:00.000Z"),
        "relationship based-on 1.2.3.4 start stop": relationship("based-on", ind1234, obs1234,
                                                                 "2024-01-01T00:00:00.000Z",
                                                                 "2024-02-01T00:00:00.000Z"),
        "sighting 1.2.3.4 [IPsum, CrowdSec]": sighting(ind1234, [ipsum, crowdsec]),
        "sighting 1.2.3.4 [CrowdSec, IPsum]": sighting(ind1234, [crowdsec, ipsum]),
        "sighting 1.2.3.4 CrowdSec first": sighting(ind1234, [crowdsec], "2024-01-01T00:00:00.000Z"),
        "sighting 1.2.3.4 CrowdSec first last": sighting(ind1234, [crowdsec], "2024-01-01T00:00:00.000Z",
                                                         "2024-01-02T00:00:00.000Z"),
        "note no created 'IP 1.2.3.4 was reported by CrowdSec.'": note(None, "IP 1.2.3.4 was reported by CrowdSec."),
        "domain-name Example.COM": observable("domain-name", "Example.COM"),
        "external-reference NVD CVE-2021-44228 url": external_reference(
            "https://nvd.nist.gov/vuln/detail/CVE-2021-44228"),
        "external-reference cve CVE-2021-44228": external_reference(None, "cve", "CVE-2021-44228"),
        "attack-pattern Active Scanning T1595 (pycti 7)": attack_pattern("Active Scanning", "T1595", 7),
        "label malicious": label("malicious"),
        "label é": label("\u00e9"),
        "autonomous-system 15169": gen("autonomous-system", {"number": 15169}),
        "attack-pattern Brute Force, blank MITRE id (pycti 6)": attack_pattern("Brute Force", " "),
        "label suspicious": label("suspicious"),
    }
    for ip in sys.argv[1:]:
        if not ip.startswith("-"):
            o, i, r = ip_ids(ip)
            out[f"ipv {ip} observable"], out[f"ipv {ip} indicator"], out[f"ipv {ip} based-on"] = o, i, r
    return out


# the marking definitions STIX 2.1 fixes (section 7.2.1.4), as pycti and the platform use them
STIX_TLP = {"TLP:CLEAR": "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
            "TLP:WHITE": "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
            "TLP:GREEN": "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
            "TLP:AMBER": "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
            "TLP:RED": "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"}


def id_of_object(o, pycti):
    """The id pycti gives an object with these properties, called the way the feeds call it: a sighting's and a
    relationship's dates stay out unless they are start_time/stop_time; a label's value is first made what the
    platform stores (lower-cased and stripped before OpenCTI 7.260807.0, docs/opencti-versions.md)."""
    t = o["type"]
    if t == "label":
        return label(o["value"].strip() if pycti >= 7 else o["value"].lower().strip())
    if t == "identity":
        return identity(o["name"], o["identity_class"])
    if t == "attack-pattern":
        return attack_pattern(o["name"], o.get("x_mitre_id"), pycti)
    if t == "location":
        return location(o["name"], o["x_opencti_location_type"])
    if t == "vulnerability":
        return vulnerability(o["name"])
    if t in ("ipv4-addr", "ipv6-addr"):
        return observable(t, o["value"])
    if t == "indicator":
        return indicator(o["pattern"])
    if t == "relationship":
        return relationship(o["relationship_type"], o["source_ref"], o["target_ref"], o.get("start_time"),
                            o.get("stop_time"))
    if t == "sighting":
        return sighting(o["sighting_of_ref"], o["where_sighted_refs"])
    if t == "note":
        return note(o.get("created"), o["content"], o.get("abstract"), pycti)
    if t == "marking-definition":
        return STIX_TLP.get(o.get("name")) or marking_definition(o["definition_type"], o["definition"])
    raise SystemExit(f"no pycti rule here for {t}")


def check_objects(pycti, path):
    ids = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                o = json.loads(line)
                ours = id_of_object(o, pycti)
                if ours != o["id"]:
                    sys.exit(f"{o['type']} {o['id']}: pycti gives {ours}")
                ids.append(ours)
    for i in sorted(set(ids)):
        print(i)


if __name__ == "__main__":
    check_vectors()
    if "--objects" in sys.argv:
        at = sys.argv.index("--objects")
        check_objects(int(sys.argv[at + 1]), sys.argv[at + 2])
        sys.exit(0)
    if "--check" not in sys.argv:
        for k, v in quoted().items():
            print(f"{k}: {v}")
