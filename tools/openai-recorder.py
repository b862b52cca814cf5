#!/usr/bin/env python3
"""A recording proxy for an OpenAI-compatible server, for trying the cloud planner against a real
one by hand (RELIABILITY.md, "Against a real server").

    tools/openai-recorder.py --listen 8766 --upstream http://127.0.0.1:8765 --log requests.jsonl

Forwards every request to the upstream server unchanged and writes one JSON line per exchange:
the time, the request's `response_format` type, its length-limit key, the status, how long it
took, and the start of the model's reply or of the error body. Standard library only; loopback
only; not part of the tests.
"""

import argparse
import json
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def summary(request: dict, status: int, body: bytes, seconds: float) -> dict:
    line = {
        "at": time.strftime("%H:%M:%S"),
        "response_format": (request.get("response_format") or {}).get("type", "text"),
        "length_key": next((k for k in ("max_tokens", "max_completion_tokens") if k in request), None),
        "status": status,
        "seconds": round(seconds, 2),
    }
    try:
        reply = json.loads(body)
        if status == 200:
            line["content"] = reply["choices"][0]["message"]["content"][:200]
            line["usage"] = reply.get("usage")
        else:
            line["error"] = json.dumps(reply)[:300]
    except (ValueError, KeyError, IndexError, TypeError):
        line["body"] = body[:300].decode("utf-8", "replace")
    return line


def handler(upstream: str, log_path: str):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("content-length", "0"))
            raw = self.rfile.read(length)
            try:
                request = json.loads(raw)
            except ValueError:
                request = {}
            forward = urllib.request.Request(
                upstream + self.path,
                data=raw,
                headers={k: v for k, v in self.headers.items() if k.lower() != "host"},
                method="POST",
            )
            started = time.monotonic()
            try:
                with urllib.request.urlopen(forward, timeout=600) as response:
                    status, headers, body = response.status, response.headers, response.read()
            except urllib.error.HTTPError as error:
                status, headers, body = error.code, error.headers, error.read()
            with open(log_path, "a", encoding="utf-8") as log:
                log.write(json.dumps(summary(request, status, body, time.monotonic() - started)) + "\n")
            self.send_response(status)
            self.send_header("content-type", headers.get("content-type", "application/json"))
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", type=int, required=True)
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--log", required=True)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.listen), handler(args.upstream, args.log))
    server.serve_forever()


if __name__ == "__main__":
    main()
