#!/usr/bin/env python3
"""A standalone Apache Spark cluster on loopback: one master and N worker processes, started with
pyspark's own `spark-class` (the pip package ships no start-master.sh), so work is really spread over
executors in separate JVMs. Needs Java 17+ and pyspark in the running interpreter.

    python scripts/spark_cluster.py start --dir build/spark/cluster --workers 2
    python scripts/spark_cluster.py stop --dir build/spark/cluster

`start` prints the master URL (spark://127.0.0.1:7077) once every worker has registered.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pyspark

SPARK_HOME = Path(pyspark.__file__).parent
HOST = "127.0.0.1"


def spark_class(*args: str, log: Path) -> int:
    """Start `spark-class <args>` in its own session, output to `log`; return its pid."""
    env = os.environ | {"SPARK_HOME": str(SPARK_HOME), "SPARK_LOCAL_IP": HOST}
    with log.open("ab") as handle:
        process = subprocess.Popen([str(SPARK_HOME / "bin" / "spark-class"), *args], stdout=handle,
                                   stderr=subprocess.STDOUT, env=env, start_new_session=True)
    return process.pid


def alive_workers(web_port: int) -> int:
    """Workers the master reports ALIVE (its JSON status page); 0 while it is not up."""
    try:
        with urllib.request.urlopen(f"http://{HOST}:{web_port}/json/", timeout=2) as response:
            status = json.load(response)
    except OSError:
        return 0
    return sum(1 for worker in status.get("workers", []) if worker.get("state") == "ALIVE")


def start(folder: Path, workers: int, cores: int, memory: str, port: int, web_port: int, timeout: float) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    if (folder / "pids").exists():
        raise SystemExit(f"a cluster is already recorded in {folder / 'pids'}: stop it first")
    pids = [spark_class("org.apache.spark.deploy.master.Master", "--host", HOST, "--port", str(port),
                        "--webui-port", str(web_port), log=folder / "master.log")]
    master = f"spark://{HOST}:{port}"
    for number in range(1, workers + 1):
        work = folder / f"worker{number}"
        work.mkdir(exist_ok=True)
        pids.append(spark_class("org.apache.spark.deploy.worker.Worker", "--host", HOST, "--cores", str(cores),
                                "--memory", memory, "--webui-port", str(web_port + number), "--work-dir", str(work),
                                master, log=folder / f"worker{number}.log"))
    (folder / "pids").write_text("\n".join(map(str, pids)) + "\n", encoding="utf-8")
    deadline = time.monotonic() + timeout
    while alive_workers(web_port) < workers:
        if time.monotonic() > deadline:
            stop(folder)
            raise SystemExit(f"{workers} workers did not register with {master} within {timeout:.0f} s "
                             f"(logs in {folder})")
        time.sleep(0.5)
    return master


def stop(folder: Path) -> int:
    """Kill the recorded processes (and their children); return how many were running."""
    pid_file = folder / "pids"
    if not pid_file.exists():
        return 0
    stopped = 0
    for pid in map(int, pid_file.read_text(encoding="utf-8").split()):
        try:
            os.killpg(pid, signal.SIGTERM)
            stopped += 1
        except ProcessLookupError:
            pass
    pid_file.unlink()
    return stopped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["start", "stop"])
    parser.add_argument("--dir", type=Path, default=Path("build/spark/cluster"), help="logs, work dirs, pids")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cores", type=int, default=1, help="cores per worker")
    parser.add_argument("--memory", default="2g", help="memory per worker")
    parser.add_argument("--port", type=int, default=7077)
    parser.add_argument("--web-port", type=int, default=8080)
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args(argv)
    if args.action == "start":
        print(start(args.dir, args.workers, args.cores, args.memory, args.port, args.web_port, args.timeout))
    else:
        print(f"stopped {stop(args.dir)} processes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
