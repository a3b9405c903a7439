#!/usr/bin/env python3
"""Independent PAP oracle for the differential test: LstGen's Python translation of the same
BMF XML, corrected to Java BigDecimal semantics.

LstGen (PyPI `lstgen`) generates Python whose `BigDecimal.valueOf` reads a float literal
through its binary expansion (0.42 -> 0.41999999999999998445...), where Java goes through
Double.toString (exactly 0.42), and whose decimal context keeps 28 digits. Both can move a
ROUND_DOWN/ROUND_UP step by one cent (../shared/pap/README.md). The generated module is used
as generated; only the runtime is corrected here: valueOf reads floats through repr() (the
shortest round-trip string, as Double.toString) and the context keeps 100 digits.

The patch must be in place *before* the PAP class body runs: its tables (TAB1 = [...,
valueOf(0.4), ...]) are built at class definition. Patching after import leaves 0.4 as
0.400000000000000022204..., and a ROUND_UP of 550380 * 0.4 / 100 then gives 2201.53 instead
of 2201.52 (seen in the Versorgungsfreibetrag outputs VFRB, VFRBS2, WVFRB). So the module is
executed statement by statement and valueOf is replaced right after `class BigDecimal`.

Usage: lstgen_oracle.py --xml PATH --cache DIR < inputs.jsonl > outputs.jsonl
Input lines are JSON objects keyed by PAP input names; output lines hold every PAP output as
an integer (or a decimal string if not integral), or {"error": "..."}.
"""

import argparse
import ast
import decimal
import hashlib
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET


def load_module(xml_path, cache_dir):
    data = open(xml_path, "rb").read()
    digest = hashlib.sha256(data).hexdigest()[:16]
    os.makedirs(cache_dir, exist_ok=True)
    out = os.path.join(cache_dir, f"lst_{digest}.py")
    if not os.path.exists(out):
        lstgen = os.path.join(os.path.dirname(sys.executable), "lstgen")
        tmp = out + ".tmp"
        subprocess.run([lstgen, "-l", "python", "-x", xml_path, "--outfile", tmp], check=True)
        os.replace(tmp, out)
    source = open(out, encoding="utf-8").read()
    namespace = {"__name__": f"lst_{digest}"}
    for node in ast.parse(source, out).body:
        exec(compile(ast.Module([node], []), out, "exec"), namespace)
        if isinstance(node, ast.ClassDef) and node.name == "BigDecimal":
            namespace["BigDecimal"].valueOf = classmethod(java_value_of)
    return namespace


def java_value_of(cls, value):
    """BigDecimal.valueOf(double) reads Double.toString(value), not the binary expansion."""
    if isinstance(value, float):
        return cls(repr(value))
    return cls(value)


def declarations(xml_path):
    text = open(xml_path, "rb").read().decode("utf-8-sig")
    root = ET.fromstring(text)
    inputs = {e.get("name"): e.get("type") for e in root.iter("INPUT")}
    outputs = [e.get("name") for e in root.iter("OUTPUT")]
    return root.get("name"), inputs, outputs


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--xml", required=True)
    parser.add_argument("--cache", required=True)
    args = parser.parse_args()

    decimal.getcontext().prec = 100
    module = load_module(args.xml, args.cache)
    big = module["BigDecimal"]
    class_name, input_types, outputs = declarations(args.xml)
    pap_class = module[class_name]

    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        record = json.loads(line, parse_float=str, parse_int=str)
        kwargs = {}
        for name, raw in record.items():
            kind = input_types.get(name)
            if kind == "int":
                kwargs[name] = int(raw)
            elif kind == "double":
                kwargs[name] = float(raw)
            elif kind == "BigDecimal":
                kwargs[name] = big(str(raw))
            else:
                raise SystemExit(f"unknown input {name} for {class_name}")
        try:
            pap = pap_class(**kwargs)
            pap.MAIN()
            result = {}
            for name in outputs:
                value = decimal.Decimal(getattr(pap, name))
                result[name] = int(value) if value == value.to_integral_value() else str(value)
        except Exception as exc:  # the oracle's failure is data for the comparison
            result = {"error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
