"""12345 intake through the HTTP API: orders per second sustained, and none lost.

Target (hotline issue): intake through the HTTP API ≥ 200 orders/s sustained on 2 cores, with
no order lost (every acknowledged number found in the database afterwards).

    flock /tmp/gk_bench.lock .venv/bin/python bench/hotline_intake.py
    flock /tmp/gk_bench.lock .venv/bin/python bench/hotline_intake.py --seconds 60 --workers 5

**Server.** The production server as deployed: gunicorn (sync workers) serving
``gongkai.config.wsgi`` with the production settings (DEBUG off, a generated secret key, an
Open311 API key in ``GONGKAI_OPEN311_API_KEYS``), on a free local port, against a PostgreSQL
database of its own (``--database``, dropped and created each run), migrated (the default
time limits come from the migrations) and loaded with Beijing's organisations
(``org_load_reference_data``) and the 12345 categories (``category_load_reference_data``).

**Clients.** ``--clients`` processes, each with ``--connections`` threads holding one HTTP/1.1
connection (the standard library's ``http.client``; a sync worker closes the connection after
each answer and the client opens a new one), post form-encoded Open311 requests to
``/open311/v2/requests.json`` as fast as they are answered: the 960 sample requests of
``gongkai/hotline/data/requests.yaml`` (their category as ``service_code``, type as
``attribute[request_type]``, district as ``attribute[district]``, the street named in the text
as ``attribute[street]`` or ``jurisdiction_id``), a made-up address or coordinates, caller names,
mobile numbers or e-mail addresses from a seeded generator. ``--warm-up`` seconds, then
``--seconds`` measured seconds.

**Reported**: acknowledged orders per second over the measured period and in each 10-second
window, latency p50/p95/max, answers by HTTP status; the CPU used in the measured period by the
gunicorn processes, by the PostgreSQL backends of the bench database, by the clients and by the
whole machine (all share the two cores). **Verified afterwards**: every acknowledged
``service_request_id`` is in the database exactly once, the count of API orders equals the
count acknowledged, each order has its ``received`` event and its audit event, and the audit
chain verifies (``audit_verify_chain``). Exits 1 if an order is lost or duplicated, on any 5xx,
or when the rate misses the target.
"""

import argparse
import http.client
import multiprocessing
import os
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
REQUESTS_FILE = ROOT / "gongkai" / "hotline" / "data" / "requests.yaml"
PATH = "/open311/v2/requests.json"
TARGET = 200.0
WINDOW = 10
SEED = 12345
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红梅志文兰"
ROADS = ("和平路", "建设路", "幸福街", "团结路", "育才路", "光明街", "安康路", "兴隆街", "滨河路")
COMPOUNDS = ("锦绣园", "阳光花园", "翠苑", "兴隆家园", "芳草园", "枫林绿洲", "融泽嘉园", "和谐家园")


# ---- Setup (the parent process) -----------------------------------------------------------------


def server_environment(database_url: str, api_key: str, var_dir: str) -> dict[str, str]:
    """The environment of a production deployment (see README, "Configuration")."""
    return {
        "DJANGO_SETTINGS_MODULE": "gongkai.config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "GONGKAI_OPEN311_API_KEYS": api_key,
        "GONGKAI_VAR_DIR": var_dir,
        "GONGKAI_LOG_LEVEL": "WARNING",
    }


def recreate_database(server_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def load_reference_data() -> list[dict[str, str]]:
    """Migrate and load the reference data; return the request templates: the sample requests
    with the organisation codes of their district and, where the text names one, street."""
    import django

    django.setup()
    from django.core.management import call_command

    from gongkai.hotline.models import Category, TimeLimitRule
    from gongkai.hotline.services import category_load_reference_data
    from gongkai.orgs.models import Level, Organisation
    from gongkai.orgs.services import org_load_reference_data

    call_command("migrate", verbosity=0)
    org_load_reference_data()
    category_load_reference_data()
    print(
        f"reference data: {Organisation.objects.count()} organisations, "
        f"{Category.objects.count()} categories, {TimeLimitRule.objects.count()} time limits"
    )
    districts = {
        org.name.removeprefix("北京市").removesuffix("人民政府"): org
        for org in Organisation.objects.filter(level=Level.DISTRICT, kind="government")
    }
    streets = list(Organisation.objects.filter(level=Level.STREET, is_active=True))
    templates = []
    for item in yaml.safe_load(REQUESTS_FILE.read_text(encoding="utf-8"))["requests"]:
        district = districts[item["district"]]
        street = next(
            (s for s in streets if s.parent_id == district.pk and s.short_name in item["text"]),
            None,
        )
        templates.append(
            {
                "service_code": item["category"],
                "request_type": item["type"],
                "description": item["text"],
                "district": district.code,
                "district_name": item["district"],
                "street": street.code if street else "",
            }
        )
    return templates


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(args: argparse.Namespace, env: dict[str, str], port: int) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "--workers", str(args.workers),
        "--bind", f"127.0.0.1:{port}",
        "--log-level", "warning",
        "gongkai.config.wsgi:application",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env})
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/open311/v2/discovery.json", timeout=2)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("the server did not answer")


# ---- CPU accounting -----------------------------------------------------------------------------

TICK = os.sysconf("SC_CLK_TCK")


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process; 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / TICK, sum(values) / TICK


def backend_pids(database: str) -> list[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [database],
        )
        return [row[0] for row in cursor.fetchall()]


def backends_cpu(database: str, until: float) -> float:
    """CPU seconds used from now until ``until`` by the PostgreSQL backends of ``database``,
    sampled every half second: the workers close and reopen their connections
    (``CONN_MAX_AGE``), so a backend first seen later counts from zero, and one that ends
    counts up to its last sample."""
    first: dict[int, float] = {}
    last: dict[int, float] = {}
    started = False
    while True:
        for pid in backend_pids(database):
            cpu = process_cpu(pid)
            if cpu:
                first.setdefault(pid, 0.0 if started else cpu)
                last[pid] = cpu
        started = True
        if time.time() >= until:
            return sum(last[pid] - first[pid] for pid in last)
        time.sleep(max(0.0, min(0.5, until - time.time())))


# ---- Clients ------------------------------------------------------------------------------------


def caller(rng: random.Random, template: dict[str, str], api_key: str) -> dict[str, str]:
    """One request's form: the template's matter, a made-up caller and place."""
    form = {
        "api_key": api_key,
        "service_code": template["service_code"],
        "description": template["description"],
        "attribute[request_type]": template["request_type"],
        "last_name": rng.choice(SURNAMES),
        "first_name": "".join(rng.choices(GIVEN, k=rng.choice((1, 2)))),
    }
    if rng.random() < 0.8:
        form["phone"] = f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
    else:
        form["email"] = f"user{rng.randrange(10**6)}@example.cn"
    if template["street"] and rng.random() < 0.5:
        form["jurisdiction_id"] = template["street"]
    else:
        form["attribute[district]"] = template["district"]
        if template["street"]:
            form["attribute[street]"] = template["street"]
    if rng.random() < 0.3:
        form["lat"] = f"{rng.uniform(39.45, 41.05):.6f}"
        form["long"] = f"{rng.uniform(115.42, 117.5):.6f}"
    else:
        form["address_string"] = (
            f"北京市{template['district_name']}{rng.choice(ROADS)}{rng.randrange(1, 300)}号"
            f"{rng.choice(COMPOUNDS)}{rng.randrange(1, 30)}号楼"
        )
    return form


NUMBER = re.compile(rb'"service_request_id": "(\d+)"')


def connection_loop(
    port: int,
    templates: list[dict[str, str]],
    api_key: str,
    seed: int,
    stop_at: float,
    results: list[tuple[float, float, int, str]],
) -> None:
    """Post requests until ``stop_at``; record (done at, seconds, HTTP status, number)."""
    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
    while time.time() < stop_at:
        body = urllib.parse.urlencode(caller(rng, rng.choice(templates), api_key)).encode()
        start = time.perf_counter()
        try:
            connection.request("POST", PATH, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            connection.close()  # reopened by the next request
            results.append((time.time(), time.perf_counter() - start, 0, ""))
            continue
        match = NUMBER.search(data) if status == 200 else None
        number = match.group(1).decode() if match else ""
        results.append((time.time(), time.perf_counter() - start, status, number))
    connection.close()


def client_process(
    pipe: Connection,
    port: int,
    templates: list[dict[str, str]],
    api_key: str,
    seed: int,
    connections: int,
    window: tuple[float, float],
) -> None:
    """Run ``connections`` threads until the window ends; send back their results and the
    process's CPU seconds within the window."""
    results: list[list[tuple[float, float, int, str]]] = [[] for _ in range(connections)]
    threads = [
        threading.Thread(
            target=connection_loop,
            args=(port, templates, api_key, seed * 1000 + n, window[1], results[n]),
        )
        for n in range(connections)
    ]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, window[0] - time.time()))
    begin = os.times()
    time.sleep(max(0.0, window[1] - time.time()))
    end = os.times()
    for thread in threads:
        thread.join()
    cpu = (end.user - begin.user) + (end.system - begin.system)
    pipe.send(([row for rows in results for row in rows], cpu))
    pipe.close()


# ---- The run ------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def verify(acknowledged: list[str]) -> dict[str, Any]:
    from django.db.models import Count

    from gongkai.core.audit import audit_verify_chain
    from gongkai.core.models import AuditEvent
    from gongkai.hotline.models import Channel, EventKind, OrderEvent, WorkOrder

    stored = Counter(WorkOrder.objects.filter(channel=Channel.API).values_list("number", flat=True))
    wanted = Counter(acknowledged)
    received = OrderEvent.objects.filter(kind=EventKind.RECEIVED, order__channel=Channel.API)
    audited = AuditEvent.objects.filter(action="hotline.order.create")
    per_order = received.values("order").annotate(n=Count("pk")).filter(n__gt=1).count()
    return {
        "acknowledged": len(acknowledged),
        "acknowledged twice": sum(n - 1 for n in wanted.values() if n > 1),
        "stored": sum(stored.values()),
        "missing": sum(1 for number in wanted if stored[number] != 1),
        "stored, not acknowledged": sum(1 for number in stored if number not in wanted),
        "received events": received.count(),
        "orders with several received events": per_order,
        "audit events hotline.order.create": audited.count(),
        "audit chain (events verified)": audit_verify_chain(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60, help="measured seconds")
    parser.add_argument("--warm-up", type=int, default=10, help="seconds before measuring")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--clients", type=int, default=2, help="client processes")
    parser.add_argument("--connections", type=int, default=4, help="connections per client")
    parser.add_argument("--database", default="gk_bench_intake")
    parser.add_argument(
        "--server-url",
        default=os.environ.get("PG_SERVER_URL", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server, without a database name",
    )
    args = parser.parse_args()

    api_key = secrets.token_urlsafe(24)
    var_dir = tempfile.mkdtemp(prefix="gongkai-bench-intake-")
    env = server_environment(f"{args.server_url}/{args.database}", api_key, var_dir)
    recreate_database(args.server_url, args.database)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    templates = load_reference_data()
    from django.db import connection

    connection.close()  # not inherited by the client processes
    port = free_port()
    server = start_server(args, env, port)
    try:
        start = time.time() + 2
        window = (start + args.warm_up, start + args.warm_up + args.seconds)
        pipes, processes = [], []
        for n in range(args.clients):
            ours, theirs = multiprocessing.Pipe(duplex=False)
            process = multiprocessing.Process(
                target=client_process,
                args=(theirs, port, templates, api_key, SEED + n, args.connections, window),
            )
            process.start()
            pipes.append(ours)
            processes.append(process)
        time.sleep(max(0.0, window[0] - time.time()))
        watched = [server.pid, *children(server.pid)]
        server_before = sum(process_cpu(pid) for pid in watched)
        machine_before = machine_cpu()
        db_cpu = backends_cpu(args.database, window[1])
        server_after = sum(process_cpu(pid) for pid in watched)
        machine_after = machine_cpu()
        received = [pipe.recv() for pipe in pipes]
        for process in processes:
            process.join()
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(var_dir, ignore_errors=True)

    rows = [row for rows, _cpu in received for row in rows]
    client_cpu = sum(cpu for _rows, cpu in received)
    measured = [row for row in rows if window[0] <= row[0] < window[1]]
    ok = [row for row in measured if row[2] == 200 and row[3]]
    statuses = Counter(row[2] for row in rows)
    acknowledged = [row[3] for row in rows if row[2] == 200 and row[3]]
    rate = len(ok) / args.seconds
    latencies = [row[1] * 1000 for row in ok]
    windows = Counter(int((row[0] - window[0]) // WINDOW) for row in ok)
    busy = machine_after[0] - machine_before[0]
    total = machine_after[1] - machine_before[1]

    print(
        f"gunicorn {args.workers} sync workers, {args.clients} client processes × "
        f"{args.connections} connections, warm-up {args.warm_up} s, measured {args.seconds} s, "
        f"PostgreSQL database {args.database}"
    )
    print(f"orders acknowledged in the measured period: {len(ok)}")
    print(f"rate: {rate:.1f} orders/s (target ≥ {TARGET:.0f})")
    spans = [windows.get(n, 0) / WINDOW for n in range(args.seconds // WINDOW)]
    print("per 10-s window (orders/s): " + ", ".join(f"{value:.1f}" for value in spans))
    print(
        f"latency ms: p50 {percentile(latencies, 0.5):.1f}, p95 {percentile(latencies, 0.95):.1f}"
        f", max {max(latencies, default=0):.1f}"
    )
    print("answers by HTTP status (whole run, 0 = connection error): " + str(dict(statuses)))
    cores = total / args.seconds
    print(
        f"CPU in the measured period (cores = CPU seconds / {args.seconds} s): "
        f"gunicorn {(server_after - server_before) / args.seconds:.2f}, "
        f"PostgreSQL backends {db_cpu / args.seconds:.2f}, "
        f"clients {client_cpu / args.seconds:.2f}, "
        f"whole machine {busy / args.seconds:.2f} of {cores:.0f}"
    )
    if ok:
        used = server_after - server_before + db_cpu + client_cpu
        print(
            "CPU per order (ms): "
            f"gunicorn {(server_after - server_before) / len(ok) * 1000:.2f}, "
            f"PostgreSQL {db_cpu / len(ok) * 1000:.2f}, "
            f"clients {client_cpu / len(ok) * 1000:.2f}; at that cost the machine's "
            f"{cores:.0f} cores, if nothing else ran, would take {cores * len(ok) / used:.0f}/s"
        )
    checks = verify(acknowledged)
    for name, value in checks.items():
        print(f"  {name}: {value}")
    lost = checks["missing"] or checks["acknowledged twice"]
    lost = lost or checks["stored"] != len(acknowledged)
    server_errors = sum(n for status, n in statuses.items() if status >= 500)
    complete = (
        checks["received events"] == checks["stored"] == checks["audit events hotline.order.create"]
        and not checks["orders with several received events"]
    )
    intact = not lost and not server_errors and complete
    print(
        "RESULT: "
        + ("every acknowledged order kept" if intact else "ORDERS LOST, INCOMPLETE OR 5xx")
        + ("; rate meets the target" if rate >= TARGET else "; rate MISSES the target")
    )
    sys.exit(0 if intact and rate >= TARGET else 1)


if __name__ == "__main__":
    main()
