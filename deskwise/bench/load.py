"""Concurrent load against the production server, measured by wrk.

wrk is a small C load generator: it costs the server little CPU, so the
figures are the desk's, not the load generator's. Each scenario is a Lua
script that picks a path (and body) per request and prints a JSON summary.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

LUA = """
math.randomseed(os.time())
local paths = {%(paths)s}
local method = "%(method)s"
local headers = {%(headers)s}
local counter = 0

request = function()
  local path = paths[math.random(#paths)]
  local body = nil
  if method == "POST" then
    counter = counter + 1
    local n = math.random(1, 1000000000)
    body = string.format(%(body)s, n, n %% 5000)
  end
  return wrk.format(method, path, headers, body)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p95_us": %%d, "p99_us": %%d, ' ..
    '"max_us": %%d, "errors": {"connect": %%d, "read": %%d, "write": %%d, "status": %%d, "timeout": %%d}}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
"""


@dataclass(frozen=True)
class Scenario:
    name: str
    paths: list[str]
    headers: dict[str, str]
    method: str = "GET"
    body_format: str = ""
    connections: int = 4
    threads: int = 2


@dataclass
class Result:
    name: str
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    requests_per_second: float
    errors: dict[str, int] = field(default_factory=dict)
    connections: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "p50_ms": self.p50_ms,
            "p95_ms": self.p95_ms,
            "p99_ms": self.p99_ms,
            "max_ms": self.max_ms,
            "requests_per_second": self.requests_per_second,
            "requests": self.requests,
            "connections": self.connections,
            "errors": {k: v for k, v in self.errors.items() if v},
        }


def _lua(scenario: Scenario) -> str:
    def quote(text: str) -> str:
        return json.dumps(text)  # a JSON string is a valid Lua string literal here

    return LUA % {
        "paths": ", ".join(quote(p) for p in scenario.paths),
        "method": scenario.method,
        "headers": ", ".join(f"[{quote(k)}] = {quote(v)}" for k, v in scenario.headers.items()),
        "body": quote(scenario.body_format or ""),
    }


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def run(base_url: str, scenario: Scenario, *, seconds: int, warmup: int = 2) -> Result:
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / f"{scenario.name}.lua"
        script.write_text(_lua(scenario))
        common = [
            "wrk",
            f"-t{scenario.threads}",
            f"-c{scenario.connections}",
            "--timeout",
            "10s",
            "-s",
            str(script),
            base_url,
        ]
        if warmup:
            subprocess.run(
                [*common[:1], f"-d{warmup}s", *common[1:]], capture_output=True, check=True
            )
        done = subprocess.run(
            [*common[:1], f"-d{seconds}s", *common[1:]], capture_output=True, text=True, check=True
        )
    line = next(ln for ln in done.stdout.splitlines() if ln.startswith('{"requests"'))
    raw = json.loads(line)
    secs = raw["duration_us"] / 1e6
    return Result(
        name=scenario.name,
        requests=raw["requests"],
        seconds=round(secs, 2),
        p50_ms=round(raw["p50_us"] / 1000, 2),
        p95_ms=round(raw["p95_us"] / 1000, 2),
        p99_ms=round(raw["p99_us"] / 1000, 2),
        max_ms=round(raw["max_us"] / 1000, 2),
        requests_per_second=round(raw["requests"] / secs, 1),
        errors=raw["errors"],
        connections=scenario.connections,
    )
