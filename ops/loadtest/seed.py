"""Records N incidents through the API over one keep-alive connection; prints their ids.

Usage: python3 seed.py PORT N   (the session token in CASELEDGER_TOKEN)
"""
import http.client
import json
import os
import sys


def main() -> None:
    port, count = int(sys.argv[1]), int(sys.argv[2])
    headers = {
        "Authorization": "Bearer " + os.environ["CASELEDGER_TOKEN"],
        "Content-Type": "application/json",
        "X-Purpose": "load test",
    }
    connection = http.client.HTTPConnection("127.0.0.1", port)
    for n in range(1, count + 1):
        body = {
            "occurred_at": "2026-11-20T21:00:00Z",
            "channel": "phone",
            "category": "nuisance",
            "location": {"text": f"{n} Seed Street, Leicester"},
            "description": "noise from the flat above",
        }
        headers["Idempotency-Key"] = f"seed-{n}"
        connection.request("POST", "/api/v1/incidents", json.dumps(body), headers)
        response = connection.getresponse()
        answer = json.loads(response.read())
        if response.status != 201:
            sys.exit(f"seed: incident {n} answered {response.status}: {answer}")
        print(answer["id"])


if __name__ == "__main__":
    main()
