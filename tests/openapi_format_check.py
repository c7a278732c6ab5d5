#!/usr/bin/env python3
"""Fails unless docs/openapi.json reads exactly as `python3 -m json.tool --indent 2` prints it.

One formatting keeps merges of routes added in parallel line-by-line. Fix with:
    python3 -m json.tool --indent 2 docs/openapi.json > /tmp/o.json && mv /tmp/o.json docs/openapi.json
"""
import json
import sys


def main(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        formatted = json.dumps(json.loads(text), indent=2) + "\n"
    except ValueError as e:
        print(f"{path}: not valid JSON: {e}")
        return 1
    if formatted != text:
        print(f"{path}: not formatted as `python3 -m json.tool --indent 2` prints it")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
