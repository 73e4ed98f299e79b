"""A synthetic province, and what its pages cost at that size.

    python -m tests.bench.province generate [--scale full|small]
    python -m tests.bench.province measure
    python -m tests.bench.province load [--seconds 20]
    python -m tests.bench.province instructions

``DATABASE_URL`` (PostgreSQL) holds the province in a database of its own,
``xs_province``, kept between runs because building it takes minutes; without it,
a SQLite file ``instance/bench-province.db`` holds the small one.

Sizes: ``full`` is 30,000 jurisdictions, 1,000,000 topics and 3,000,000 board entries;
``small`` a tenth of the topics and entries on 6,000 jurisdictions. Topics fall on villages
with a long tail (a few busy villages, many quiet ones); each accepted topic has a notice,
a result and an implementation report on its village's board, chained with the platform's
hashing; half the topics held a meeting; the busiest village's topics have participants.

``measure`` prints, for the public board page, a topic page, the committee dashboard, a
town report and the API's entry list (and an empty page in the layout, logged in: what
every page of a logged-in user costs before its content): SQL statements per request,
median and p95, and the same rows served by a bare Flask + SQLAlchemy Core endpoint in the
same run, with the ratios. "The same rows" is taken literally: the page is requested once while its
statements are recorded, and the bare endpoint executes each distinct one with the page's
own parameters in one transaction on one Core connection (ending with a commit, as the
platform's reading requests do, so both keep what PostgreSQL prepared), then serves what
comes back as JSON or, for the HTML pages, as HTML tables through one plain Jinja template
(no layout, forms, ORM, permission logic or plugins). So the floor reads exactly what the
page reads, whatever the page is made of, and the ratio is what everything else the page
does costs.

The bare endpoint comes in two kinds. The Core one (the target's) executes the page's own
statement objects on the connection, as a Core endpoint written for these rows would: each
is compiled once and found in SQLAlchemy's cache by its key, and its rows come back as
rows, never as entities. The SQL one sends the SQL text those statements compiled to,
straight to the driver, skipping even that: a stricter floor, printed beside it. Both send
exactly the page's distinct SQL (checked when they are recorded).
``load`` serves the province with gunicorn (4 workers) on 127.0.0.1 and drives it
with wrk for a bounded time: throughput, p95 and errors.
"""

import argparse
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from flask import Flask, jsonify, render_template, request
from flask_login import login_required
from sqlalchemy import create_engine, event, func, insert, select, text
from sqlalchemy.engine import make_url

from core import create_app
from core.board import chain as disclosure
from core.kernel.extensions import db
from core.models import (
    BoardEntry,
    Jurisdiction,
    Level,
    Meeting,
    Role,
    Topic,
    User,
    utcnow,
)
from core.models.types import local_today

ROOT = Path(__file__).resolve().parents[2]
SCALES = {"full": (30_000, 1_000_000, 3_000_000), "small": (6_000, 100_000, 300_000)}
SQLITE = ROOT / "instance" / "bench-province.db"
STEPS = ("propose", "notify", "consult", "implement")
CHANNELS = ("online", "door_to_door", "forum", "deputies", "wechat", "hotline", "town")


# ------------------------------------------------------------------ where


def database_url():
    server = os.environ.get("DATABASE_URL", "")
    if server.startswith("postgres"):
        return make_url(server).set(drivername="postgresql+psycopg",
                                    database="xs_province").render_as_string(
            hide_password=False)
    SQLITE.parent.mkdir(exist_ok=True)
    return f"sqlite:///{SQLITE}"


def _recreate(url):
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        SQLITE.unlink(missing_ok=True)
        return
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text('DROP DATABASE IF EXISTS "xs_province" WITH (FORCE)'))
        connection.execute(text('CREATE DATABASE "xs_province"'))
    admin.dispose()


EMPTY_PAGE = "/bench/empty-page"


def app_for(url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "XS_PLUGINS": ["national"],
                      "XS_PASSWORD_HASH": "pbkdf2:sha256:1000", "SECRET_KEY": "bench"})
    empty = app.jinja_env.from_string(
        '{% extends "base.html" %}{% block title %}-{% endblock %}')

    @app.route(EMPTY_PAGE)
    @login_required
    def empty_page():
        """A page with nothing of its own: what any page of a logged-in user costs before
        its content (session, login, the layout with its links and the user's roles)."""
        return render_template(empty)

    return app


# ------------------------------------------------------------------ building


def _write(table, columns, rows, batch=20_000):
    """Bulk-write ``rows`` (tuples in ``columns`` order): COPY on PostgreSQL."""
    engine = db.engine
    if engine.dialect.name == "postgresql":
        raw = engine.raw_connection()
        try:
            with raw.cursor() as cursor, cursor.copy(
                    f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([json.dumps(value, ensure_ascii=False)
                                    if isinstance(value, dict) else value for value in row])
            raw.commit()
        finally:
            raw.close()
        return
    chunk, table_obj = [], db.metadata.tables[table]
    for row in rows:
        chunk.append(dict(zip(columns, row, strict=True)))
        if len(chunk) == batch:
            db.session.execute(insert(table_obj), chunk)
            chunk = []
    if chunk:
        db.session.execute(insert(table_obj), chunk)
    db.session.commit()


def _reset_sequences():
    if db.engine.dialect.name != "postgresql":
        return
    for table in ("topic", "board_entry", "meeting", "participant"):
        db.session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT coalesce(max(id), 1) FROM {table}))"))
    db.session.commit()


def generate(scale):
    from core.kernel.permissions import SYSTEM
    from core.people import accounts
    from core.places import tree
    from tests.bench.jurisdiction_import import as_csv, synthetic_tree

    size, topic_count, entry_count = SCALES[scale]
    url = database_url()
    _recreate(url)
    app = app_for(url)
    started = time.perf_counter()
    random.seed(20261122)
    with app.app_context():
        db.create_all()
        import io

        result = tree.import_csv(io.StringIO(as_csv(synthetic_tree(size))), SYSTEM)
        assert result.ok, result.errors[:3]
        villages = db.session.execute(select(Jurisdiction.id, Jurisdiction.code).where(
            Jurisdiction.level == Level.VILLAGE).order_by(Jurisdiction.code)).all()
        print(f"tree: {size} jurisdictions, {len(villages)} villages "
              f"({time.perf_counter() - started:.0f} s)", flush=True)

        # A long tail: the k-th busiest village gets a share proportional to 1/k^0.8.
        weights = [1 / (rank ** 0.8) for rank in range(1, len(villages) + 1)]
        order = list(range(len(villages)))
        random.shuffle(order)
        per_village = [0] * len(villages)
        for index in random.choices(order, weights=weights, k=topic_count):
            per_village[index] += 1
        busiest = max(range(len(villages)), key=per_village.__getitem__)
        now = utcnow()
        topics, meetings, entries, heads, participants = [], [], [], [], []
        topic_id = meeting_id = entry_id = participant_id = 0
        entries_per_topic = entry_count / topic_count
        for index, (village_id, code) in enumerate(villages):
            previous, seq = disclosure.GENESIS, 0
            for number in range(per_village[index]):
                topic_id += 1
                created = now - timedelta(minutes=random.randint(60, 2 * 365 * 24 * 60))
                status = random.choices(("proposed", "accepted", "declined", "closed"),
                                        weights=(10, 50, 5, 35))[0]
                step = random.choice(STEPS) if status == "accepted" else (
                    "implement" if status == "closed" else "propose")
                title = f"议题{topic_id}：第{number + 1}号"
                topics.append((topic_id, village_id, village_id, title, "村民反映的事项。",
                               random.choice(CHANNELS), status, "", False, False, "village",
                               created, created, "national", step, created,
                               "national.public_affairs", "涉及群众切身利益的公共事务和公益事业",
                               "public_affairs"))
                if status in ("accepted", "closed") and random.random() < 0.5:
                    meeting_id += 1
                    held = created + timedelta(days=12)
                    meetings.append((meeting_id, topic_id, village_id, 1, "council", "offline",
                                     held - timedelta(hours=1), "村委会议室", "书记", "",
                                     "board", "会议记录", created, held, held - timedelta(days=8),
                                     "consensus"))
                if index == busiest:
                    for person in range(3):
                        participant_id += 1
                        participants.append((participant_id, topic_id, "resident",
                                             f"居民{person}", True, "invited", created))
                if status == "proposed":
                    continue
                if status == "declined":
                    continue
                # A notice, a result, then implementation reports: 3.5 on average, so the
                # board entries come to about ``entry_count``.
                reports = max(0, round(random.uniform(2.0, 5.0) * entries_per_topic / 3) - 2)
                for kind in ("notice", "result", *("implementation",) * reports):
                    seq += 1
                    entry_id += 1
                    published = created + timedelta(days=seq % 30 + 1)
                    content = {"board": code, "board_name": code, "seq": seq, "kind": kind,
                               "title": title, "published_at": published.isoformat(),
                               "topic": topic_id, "item": "national.public_affairs",
                               "corrects": None, "author": "bench",
                               "payload": {"text": "按协商结果公开。"}}
                    entry_hash = disclosure.chain_hash(previous, content)
                    entries.append((entry_id, village_id, seq, kind, topic_id,
                                    "national.public_affairs", title, published,
                                    content, previous,
                                    entry_hash))
                    previous = entry_hash
            if seq:
                heads.append((village_id, seq, previous, now))
            if len(topics) >= 100_000 or index == len(villages) - 1:
                _flush(topics, meetings, entries, participants)
                topics, meetings, entries, participants = [], [], [], []
                print(f"  {topic_id} topics, {entry_id} entries "
                      f"({time.perf_counter() - started:.0f} s)", flush=True)
        _write("board_head", ("jurisdiction_id", "last_seq", "last_hash", "updated_at"), heads)
        _reset_sequences()

        busy_code = villages[busiest][1]
        busy = db.session.scalar(select(Jurisdiction).where(Jurisdiction.code == busy_code))
        town = db.session.get(Jurisdiction, busy.parent_id)
        for username, role, node in (("bench-organiser", Role.ORGANISER, busy),
                                     ("bench-official", Role.TOWN_OFFICIAL, town)):
            user = accounts.create_user(SYSTEM, username=username, display_name=username,
                                        password="bench-password")
            accounts.grant_role(SYSTEM, user, role, node)
        if db.engine.dialect.name == "postgresql":
            db.session.commit()
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.execute(text("VACUUM ANALYZE"))
        print(f"built: {topic_id} topics, {entry_id} entries, {meeting_id} meetings in "
              f"{time.perf_counter() - started:.0f} s; busiest village {busy_code} "
              f"({per_village[busiest]} topics), its town {town.code}", flush=True)


def _flush(topics, meetings, entries, participants):
    _write("topic", ("id", "jurisdiction_id", "origin_id", "title", "description", "channel",
                     "status", "deciding_bodies", "offline_required", "witness_required",
                     "lead", "created_at", "updated_at", "procedure", "step",
                     "step_entered_at", "item_code", "item_title", "item_kind"), topics)
    _write("meeting", ("id", "topic_id", "jurisdiction_id", "round_no", "form", "mode",
                       "starts_at", "place", "host", "agenda", "notice_channels", "minutes",
                       "created_at", "held_at", "notice_at", "outcome"), meetings)
    _write("board_entry", ("id", "jurisdiction_id", "seq", "kind", "topic_id", "item_code",
                           "title", "published_at", "content", "prev_hash", "entry_hash"),
           entries)
    _write("participant", ("id", "topic_id", "kind", "name", "votes", "status", "created_at"),
           participants)


# ------------------------------------------------------------------ measuring


def _targets():
    official = db.session.scalar(select(User).where(User.username == "bench-official"))
    from core.models import RoleAssignment

    rows = db.session.execute(select(RoleAssignment.role, Jurisdiction).join(
        Jurisdiction, RoleAssignment.jurisdiction_id == Jurisdiction.id)).all()
    village = next(node for role, node in rows if role == Role.ORGANISER)
    town = next(node for role, node in rows if role == Role.TOWN_OFFICIAL)
    topic_id = db.session.scalar(
        select(Topic.id).join(Meeting, Meeting.topic_id == Topic.id)
        .where(Topic.jurisdiction_id == village.id).order_by(Topic.id.desc()).limit(1))
    assert official is not None
    return village, town, topic_id


BARE_HTML = """<!doctype html><title>rows</title>
{% for rows in results %}<table>{% for row in rows %}<tr>{% for cell in row %}<td>{{ cell }}</td>
{% endfor %}</tr>{% endfor %}</table>{% endfor %}"""


def bare_app(engine, reads):
    """The floors: for each page, the very rows it reads, served by a plain Flask view as
    JSON or, with ``?as=html``, as HTML tables through one plain Jinja template (no
    layout, no forms, no ORM, no permission logic). ``/<page>`` executes the page's own
    statements through SQLAlchemy Core; ``/<page>?floor=sql`` sends the SQL they compiled
    to through the driver."""
    bare = Flask("bare")
    template = bare.jinja_env.from_string(BARE_HTML)

    @bare.route("/<name>")
    def rows(name):
        with engine.begin() as connection:  # ends with a commit, as the platform's reads do
            if request.args.get("floor") == "sql":
                results = [connection.exec_driver_sql(sql, parameters).all()
                           for sql, parameters, _element, _given in reads[name]]
            else:
                results = [connection.execute(element, given).all()
                           for _sql, _parameters, element, given in reads[name]]
        if request.args.get("as") == "html":
            return template.render(results=results)
        return jsonify([[list(map(str, row)) for row in result] for result in results])

    return bare


def timed(targets, repeat, block=5):
    """Median and p95 in ms for each (client, path), ``repeat`` requests each.

    The targets take turns in blocks of ``block`` requests, so a slow spell of the
    machine falls on all of them alike. Each block follows a request that is not timed
    and a collection of the heap; what was loaded before the timing starts is frozen out
    of the collector's sight, so a collection takes only the garbage of the last
    requests, and one target's garbage is not collected on another's time."""
    found = [[] for _ in targets]
    gc.collect()
    gc.freeze()
    try:
        for _ in range(-(-repeat // block)):
            for index, (client, path) in enumerate(targets):
                client.get(path)
                gc.collect()
                for _ in range(block):
                    started = time.perf_counter()
                    response = client.get(path)
                    found[index].append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 200, (path, response.status_code)
    finally:
        gc.unfreeze()
    result = []
    for times in found:
        times.sort()
        result.append((statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]))
    return result


def _pages(app, every_step=False):
    """The measured pages as (label, client, path), their clients logged in as needed;
    with ``every_step``, also the organiser's page of the village's latest topic in each
    status and step (each step offers its own sections and forms)."""
    from tests.conftest import AuthActions

    village, town, topic_id = _targets()
    organiser, official, public = (app.test_client(), app.test_client(),
                                   app.test_client())
    AuthActions(organiser).login("bench-organiser", "bench-password")
    AuthActions(official).login("bench-official", "bench-password")
    today = local_today()
    pages = [
        ("public board", public, f"/board/{village.code}"),
        ("topic page", organiser, f"/topics/{topic_id}"),
        ("dashboard", organiser, "/dashboard"),
        ("town report", official, f"/reports/{town.code}?from="
         f"{today - timedelta(days=365)}&to={today}"),
        ("API entries", public, f"/api/v1/boards/{village.code}/entries"),
        ("empty page", organiser, EMPTY_PAGE),
    ]
    if every_step:
        latest = db.session.execute(
            select(Topic.status, Topic.step, func.max(Topic.id))
            .where(Topic.jurisdiction_id == village.id)
            .group_by(Topic.status, Topic.step).order_by(Topic.status, Topic.step)).all()
        pages += [(f"topic {status} {step}", organiser, f"/topics/{latest_id}")
                  for status, step, latest_id in latest]
    return pages


def _name(label):
    """A page's name in the bare endpoint's URL."""
    return label.replace(" ", "-")


@contextmanager
def _recording(engine):
    """Each statement sent within the block, as (SQL, its parameters, the statement it
    was executed from, the parameters given with that)."""
    seen, executed = [], []

    def before_execute(_connection, element, multiparams, params, _options):
        executed.append((element, params or (multiparams[0] if multiparams else {})))

    def before_cursor(_connection, _cursor, sql, parameters, _context, _many):
        element, given = executed.pop() if executed else (None, None)
        seen.append((sql, parameters, element, given))

    event.listen(engine, "before_execute", before_execute)
    event.listen(engine, "before_cursor_execute", before_cursor)
    try:
        yield seen
    finally:
        event.remove(engine, "before_execute", before_execute)
        event.remove(engine, "before_cursor_execute", before_cursor)


def _recorded(pages):
    """Statements each page sends (once) and, for its floors, each distinct one with its
    parameters (what the page reads twice is the page's own cost, not the floor's); each
    floor is checked to send exactly that SQL."""
    reads, sent = {}, {}
    for label, client, path in pages:
        with _recording(db.engine) as seen:
            assert client.get(path).status_code == 200, path
        sent[label] = len(seen)
        distinct = [read for index, read in enumerate(seen)
                    if read[:2] not in [earlier[:2] for earlier in seen[:index]]]
        assert all(element is not None for _s, _p, element, _g in distinct), label
        reads[_name(label)] = distinct
    bare = bare_app(db.engine, reads).test_client()
    for label, _client, _path in pages:
        for floor in ("core", "sql"):
            with _recording(db.engine) as replayed:
                assert bare.get(f"/{_name(label)}?floor={floor}").status_code == 200
            assert [read[:2] for read in replayed] == [
                read[:2] for read in reads[_name(label)]], (label, floor)
    return reads, sent


def measure(repeat=200, every_step=False):
    from tests.conftest import FreshContextClient

    url = database_url()
    app = app_for(url)
    app.test_client_class = FreshContextClient
    with app.app_context():
        counts = {name: db.session.scalar(select(func.count()).select_from(model))
                  for name, model in (("jurisdictions", Jurisdiction), ("topics", Topic),
                                      ("entries", BoardEntry), ("meetings", Meeting))}
        print(f"== {make_url(url).get_backend_name()}: " + ", ".join(
            f"{number:,} {name}" for name, number in counts.items()))
        pages = _pages(app, every_step)
        reads, sent = _recorded(pages)
        bare = bare_app(db.engine, reads).test_client()
        width = max(len(label) for label, _client, _path in pages)
        print(f"{'page':<{width}} statements   median / p95 | bare Core JSON / HTML, median "
              "(p95) | bare SQL JSON | ratio to Core JSON, Core HTML, SQL JSON")
        for label, client, path in pages:
            html = not label.startswith("API")
            name = _name(label)
            targets = [(client, path), (bare, f"/{name}"), (bare, f"/{name}?floor=sql")] + (
                [(bare, f"/{name}?as=html")] if html else [])
            (median, p95), (core, core_p95), (sql, _sql_p95), *rest = timed(targets, repeat)
            core_html = rest[0][0] if rest else None
            print(f"{label:<{width}} {sent[label]:>10}  {median:6.1f} / {p95:5.1f} ms | "
                  f"{core:6.1f} ({core_p95:5.1f}) / " + (
                      f"{core_html:5.1f} ms" if html else "    - ms") +
                  f"{'':11} | {sql:9.1f} ms | "
                  f"{median / core:5.2f}x " + (
                      f"{median / core_html:5.2f}x" if html else "    -") +
                  f" {median / sql:5.2f}x", flush=True)


# ------------------------------------------------------------------ load

WRK_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("requests %%d in %%.1f s: %%.1f/s; p50 %%.1f ms, p95 %%.1f ms, "
    .. "p99 %%.1f ms; errors %%d\\n", summary.requests, summary.duration / 1e6,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, errors))
end
"""


def load(seconds=20, connections=16):
    """gunicorn with 4 workers on 127.0.0.1; wrk for ``seconds`` over the public pages."""
    import socket

    url = database_url()
    app = app_for(url)
    with app.app_context():
        village, _town, _topic = _targets()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = dict(os.environ, DATABASE_URL=url, SECRET_KEY="bench",
                       XS_PLUGINS='["national"]', PYTHONPATH=str(ROOT))
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "4", "--preload", "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "core:create_app()"], cwd=ROOT, env=environment)
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.2)
        paths = [f"/board/{village.code}", f"/api/v1/boards/{village.code}/entries",
                 f"/board/{village.code}/1", f"/j/{village.code}"]
        import urllib.request

        for path in paths * 4:  # every worker has served each page once before timing
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as reply:
                assert reply.status == 200, path
        script = ROOT / "instance" / "bench-wrk.lua"
        script.write_text(WRK_SCRIPT % ", ".join(f'"{path}"' for path in paths))
        print(f"== load: gunicorn 4 workers, wrk 2 threads × {connections} connections, "
              f"{seconds} s, loopback, over {', '.join(paths)}", flush=True)
        subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
                        "-s", str(script),
                        f"http://127.0.0.1:{port}"], check=True)
    finally:
        server.terminate()
        server.wait(timeout=30)


# ------------------------------------------------------------------ instructions

INSTRUCTION_PAGES = ("public board", "topic page", "API entries")


def _requests(label, side, count):
    """Serve ``label`` (``side`` "page") or its floor ("core" or "sql") 20 times untimed,
    then ``count`` times: what ``instructions`` runs under valgrind."""
    from tests.conftest import FreshContextClient

    app = app_for(database_url())
    app.test_client_class = FreshContextClient
    with app.app_context():
        page = next(page for page in _pages(app, every_step=True) if page[0] == label)
        reads, _sent = _recorded([page])  # only this page's statements, for its floor
        _label, client, path = page
        if side != "page":
            client = bare_app(db.engine, reads).test_client()
            path = f"/{_name(label)}?floor={side}"
        for _ in range(20 + count):
            assert client.get(path).status_code == 200, path


SIDES = ("page", "core", "sql")


def instructions(labels=INSTRUCTION_PAGES):
    """Instructions the platform's process executes per request (valgrind's callgrind
    counts them; the same code and data give the same count whatever else the machine
    is doing), for each page of ``labels`` (any page ``measure --every-step`` names) and
    for its two floors: the run with 25 requests less the run with 5, over 20. The
    database server's work is not in it (a process of its own)."""
    def counted(label, side, count):
        found = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
             sys.executable, "-m", "tests.bench.province", "_requests", label, side,
             str(count)],
            cwd=ROOT, env=dict(os.environ, PYTHONHASHSEED="0"), capture_output=True,
            text=True, check=True).stderr
        return int(next(line for line in found.splitlines()
                        if "Collected" in line).split()[-1])

    from concurrent.futures import ThreadPoolExecutor

    runs = [(label, side, count) for label in labels for side in SIDES
            for count in (5, 25)]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:  # counts ignore load
        found = dict(zip(runs, pool.map(lambda run: counted(*run), runs), strict=True))
    print(f"== instructions per request, {make_url(database_url()).get_backend_name()} "
          "(millions; page, bare Core endpoint, bare SQL endpoint, ratios to each)")
    width = max(len(label) for label in labels)
    for label in labels:
        page, core, sql = ((found[label, side, 25] - found[label, side, 5]) / 20 / 1e6
                           for side in SIDES)
        print(f"{label:<{width}} {page:7.2f} M  {core:7.2f} M  {sql:7.2f} M  "
              f"{page / core:4.1f}x {page / sql:4.1f}x", flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("generate", "measure", "load", "instructions",
                                            "_requests"))
    parser.add_argument("request", nargs="*", help=argparse.SUPPRESS)
    parser.add_argument("--scale", choices=tuple(SCALES), default=None)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--every-step", action="store_true",
                        help="also the topic page at each status and step (measure)")
    parser.add_argument("--repeat", type=int, default=200,
                        help="requests to each page and each floor (measure)")
    parser.add_argument("--page", action="append", dest="pages", metavar="LABEL",
                        help="count this page, as measure labels it, instead of the board, "
                             "the topic page and the API list (instructions; repeatable)")
    options = parser.parse_args(argv)
    if options.command == "generate":
        scale = options.scale or ("full" if "postgres" in database_url() else "small")
        generate(scale)
    elif options.command == "measure":
        measure(options.repeat, options.every_step)
    elif options.command == "instructions":
        instructions(tuple(options.pages) if options.pages else INSTRUCTION_PAGES)
    elif options.command == "_requests":
        label, side, count = options.request
        _requests(label, side, int(count))
    else:
        load(options.seconds)


if __name__ == "__main__":
    main()
