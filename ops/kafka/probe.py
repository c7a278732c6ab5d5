#!/usr/bin/env python3
"""Minimal Kafka health probe used by ops/kafka/broker.sh (no JVM, no client library).

Sends one Metadata request (v1, all topics) over the Kafka wire protocol and checks that the
broker answers with at least one live (unfenced) broker and a controller.

  probe.py HOST:PORT ready     exit 0 when the cluster can serve requests, 1 otherwise
  probe.py HOST:PORT topics    print the topic names, one a line, with their partition counts
"""

import socket
import struct
import sys

METADATA = 3
VERSION = 1


class Reader:
    def __init__(self, data):
        self.data = data
        self.pos = 0

    def take(self, fmt):
        (value,) = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += struct.calcsize(fmt)
        return value

    def string(self):
        length = self.take(">h")
        if length < 0:
            return None
        value = self.data[self.pos:self.pos + length].decode("utf-8")
        self.pos += length
        return value


def recv_exact(sock, n):
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("connection closed by broker")
        buf += chunk
    return bytes(buf)


def metadata(host, port, timeout):
    client_id = b"caseledger-probe"
    body = struct.pack(">hhih", METADATA, VERSION, 1, len(client_id)) + client_id
    body += struct.pack(">i", -1)  # null topic array: all topics
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.settimeout(timeout)
        sock.sendall(struct.pack(">i", len(body)) + body)
        (size,) = struct.unpack(">i", recv_exact(sock, 4))
        r = Reader(recv_exact(sock, size))
    if r.take(">i") != 1:
        raise ValueError("correlation id mismatch")
    brokers = []
    for _ in range(r.take(">i")):
        node = r.take(">i")
        bhost = r.string()
        bport = r.take(">i")
        r.string()  # rack
        brokers.append((node, bhost, bport))
    controller = r.take(">i")
    topics = []
    for _ in range(r.take(">i")):
        error = r.take(">h")
        name = r.string()
        internal = r.take(">b")
        partitions = r.take(">i")
        for _ in range(partitions):
            r.take(">h")  # error code
            r.take(">i")  # partition index
            r.take(">i")  # leader
            for _ in range(2):  # replica nodes, then isr nodes
                count = r.take(">i")
                r.pos += 4 * max(count, 0)
        topics.append((name, partitions, error, bool(internal)))
    return brokers, controller, topics


def main():
    if len(sys.argv) != 3 or sys.argv[2] not in ("ready", "topics"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    host, _, port = sys.argv[1].rpartition(":")
    try:
        brokers, controller, topics = metadata(host or "127.0.0.1", int(port), 5.0)
    except (OSError, ValueError, struct.error) as e:
        print(f"probe: {sys.argv[1]}: {e}", file=sys.stderr)
        return 1
    if sys.argv[2] == "ready":
        if not brokers or controller < 0:
            print(f"probe: {sys.argv[1]}: no live broker or controller yet", file=sys.stderr)
            return 1
        return 0
    for name, partitions, error, internal in sorted(topics):
        flag = " internal" if internal else ""
        err = f" error={error}" if error else ""
        print(f"{name}\t{partitions}{flag}{err}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
