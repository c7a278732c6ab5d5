#!/usr/bin/env python3
"""Rejects an #include that points up the layers of docs/design.md.

Layers, lowest first: schemas, ledger, projections, consumers, app. A folder may include its own
headers and those of lower layers only. projections may use ledger's event types but not its
writer. Public headers (<lib>/include/) must not include librdkafka or Beast: those stay in the
one layer's sources that own them. Exit status 1 lists every violation.
"""
import pathlib
import re
import sys

LAYERS = ["schemas", "ledger", "projections", "consumers", "app"]
WRITER_HEADERS = {
    "ledger/embedded_log.h", "ledger/kafka_log.h", "ledger/command_service.h", "ledger/commands.h",
}
THIRD_PARTY_PUBLIC = re.compile(r"^(librdkafka/|rdkafka|boost/beast|boost/asio)")
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^">]+)[">]')


def layer_of(include):
    top = include.split("/", 1)[0]
    return LAYERS.index(top) if top in LAYERS else None


def main(root):
    root = pathlib.Path(root)
    problems = []
    for index, layer in enumerate(LAYERS):
        folder = root / layer
        for path in sorted(folder.rglob("*")):
            if path.suffix not in {".h", ".cc", ".fbs"}:
                continue
            public = "include" in path.relative_to(folder).parts
            for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
                match = INCLUDE.match(line)
                if not match:
                    continue
                target = match.group(1)
                where = f"{path.relative_to(root)}:{number}"
                target_layer = layer_of(target)
                if target_layer is not None and target_layer > index:
                    problems.append(f"{where}: {layer} must not include {target} (a higher layer)")
                if layer == "projections" and target in WRITER_HEADERS:
                    problems.append(f"{where}: projections must not include the writer ({target})")
                if public and THIRD_PARTY_PUBLIC.match(target):
                    problems.append(f"{where}: public header includes third-party {target}")
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} layering violation(s)")
        return 1
    print("layering ok: no include points up the layers")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
