"""Who may read what, tried as an attacker would: SQL that renames, wraps, aggregates or serialises
personal columns, and reads across towns. The warehouse is the sample (珠龙镇) loaded through the real
ETL plus a second town's ledger (东坪乡), in a real DuckDB file."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from analytics import access, db
from analytics.access import Principal, audit, manage, masked, store
from analytics.adhoc import saved_queries, sqlguard
from etl.load import load_file
from tests.etl.workbooks import disputes_bytes
from tests.workbooks import STAFF_HEADER, write_xlsx

ROOT = Path(__file__).resolve().parents[2]
STAFF_ZHULONG = Principal("zl", "staff", ("珠龙镇",))
STAFF_DONGPING = Principal("dp", "staff", ("东坪乡",))
VIEWER_ALL = Principal("county", "viewer", None)
ADMIN = Principal("root", "admin", None)
NAMESAKES = [("诸葛 秘名", "DP-001"), ("诸葛秘名", "DP-002")]


@pytest.fixture(scope="module")
def two_towns(sample_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("two_towns")
    path = Path(shutil.copyfile(sample_db, folder / "warehouse.duckdb"))
    ledger = folder / "东坪乡2020年矛盾纠纷排查调处台账.xlsx"
    ledger.write_bytes(disputes_bytes(12, town="东坪乡", bad=1))
    load_file(ledger, path)
    # a roster with one name spelt two ways: the warning that says so keeps each row's name in its value
    roster = [["东坪乡2021年执法人员名册"], STAFF_HEADER]
    roster += [[name, "综合执法办", "是", cert, dt.datetime(2027, 12, 31), "在岗"] for name, cert in NAMESAKES]
    load_file(write_xlsx(folder / "东坪乡2021年执法人员名册.xlsx", {"名册": roster}), path)
    return path


@pytest.fixture(scope="module")
def secrets_of(two_towns: Path) -> set[str]:
    """Every full personal value in the warehouse (names, parties, mediators, certificates, summaries)."""
    con = duckdb.connect(str(two_towns), read_only=True)
    try:
        found: set[str] = set()
        for sql in (
            "SELECT name FROM v_staff UNION SELECT cert_no FROM v_staff UNION SELECT name FROM v_training",
            "SELECT mediator FROM v_disputes UNION SELECT summary FROM v_disputes",
        ):
            found |= {str(v) for (v,) in con.execute(sql).fetchall() if v is not None and len(str(v)) >= 2}
        parties = con.execute("SELECT parties FROM v_disputes WHERE parties IS NOT NULL").fetchall()
        found |= {p for (v,) in parties for p in str(v).replace("，", "、").split("、") if len(p) >= 2}
    finally:
        con.close()
    found |= {name for name, _ in NAMESAKES}
    found = {v for v in found if "某" not in v and "*" not in v}  # 王某某 is already anonymous in the ledger
    assert len(found) > 50  # the sample has names, certificates and summaries to protect
    return found


ATTACKS = [
    "SELECT name AS n, cert_no AS c FROM v_staff",
    "SELECT mediator || '' AS m, summary AS s FROM v_disputes",
    "SELECT upper(name), lower(cert_no) FROM v_staff",
    "SELECT string_agg(name, ',') FROM v_staff",
    "SELECT string_agg(parties, ',') FROM v_disputes",
    "SELECT list(name) FROM v_training",
    "SELECT {'n': name, 'c': cert_no} AS s FROM v_staff",
    "SELECT to_json(s) FROM v_staff AS s",
    "SELECT COLUMNS('name|cert_no') FROM v_staff",
    "SELECT * FROM (UNPIVOT v_staff ON name, cert_no INTO NAME k VALUE v)",
    "SUMMARIZE v_staff",
    "SELECT min(name), max(cert_no), min(summary), max(mediator) FROM v_staff, v_disputes",
    "SELECT * FROM v_disputes",
    "SELECT raw_row, value FROM v_rejects",
    "SELECT value, reason FROM v_rejects",
    "SELECT value, message, column_name FROM v_warnings",
    "SELECT string_agg(message, '|') FROM v_warnings",
    "SELECT md5(name) = md5(name) AS same, name FROM v_staff",
    "SELECT sql FROM duckdb_views()",
    "SELECT * FROM duckdb_databases()",
]


def _cells(frame) -> str:
    return "\n".join(str(v) for v in frame.astype(str).to_numpy().ravel()) + "\n" + " ".join(map(str, frame.columns))


@pytest.mark.parametrize("sql", ATTACKS)
@pytest.mark.parametrize(
    "who",
    [STAFF_ZHULONG, STAFF_DONGPING, VIEWER_ALL, ADMIN],
    ids=["staff", "staff 东坪乡", "county viewer", "admin masked"],
)
def test_sql_cannot_read_personal_data(two_towns: Path, secrets_of: set[str], who: Principal, sql: str) -> None:
    with access.acting(who):
        frame = sqlguard.run(sql, two_towns)
    shown = _cells(frame)
    leaked = sorted(s for s in secrets_of if s in shown)
    assert not leaked, leaked[:5]


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM wh.main.staff",
        "SELECT * FROM warehouse_raw.main.v_staff",
        "ATTACH 'x' AS other",
        "SELECT * FROM read_csv('/etc/passwd')",
    ],
)
def test_the_unmasked_warehouse_is_not_reachable(two_towns: Path, sql: str) -> None:
    with access.acting(STAFF_ZHULONG), pytest.raises(sqlguard.SqlError):
        sqlguard.run(sql, two_towns)


def test_a_warned_name_is_masked_by_the_column_it_came_from(two_towns: Path) -> None:
    sql = "SELECT value, message FROM v_warnings WHERE column_name = '姓名' ORDER BY excel_row"
    with access.acting(STAFF_DONGPING):
        masked_rows = sqlguard.run(sql, two_towns).values.tolist()
    with access.acting(ADMIN.with_unmask(True)):
        rows = sqlguard.run(sql, two_towns).values.tolist()
    assert [v for v, _ in rows] == ["诸葛 秘名", "诸葛秘名"]  # stored as written, for whoever may see it
    assert [v for v, _ in masked_rows] == ["诸* 秘*", "诸葛**"]  # as the pages mask names (each part of a spaced one)
    assert all(m.startswith("同名人员：第 3、4 行") for _, m in masked_rows)  # the reason is kept, without names


def test_an_admin_who_unmasks_sees_names(two_towns: Path, secrets_of: set[str]) -> None:
    with access.acting(ADMIN.with_unmask(True)):
        frame = sqlguard.run("SELECT name, cert_no FROM v_staff", two_towns)
    assert set(frame["name"]) & secrets_of
    # a staff member can't unmask
    assert not STAFF_ZHULONG.with_unmask(True).personal_visible


@pytest.mark.parametrize(
    "who, towns", [(STAFF_ZHULONG, {"珠龙镇"}), (STAFF_DONGPING, {"东坪乡"}), (VIEWER_ALL, {"珠龙镇", "东坪乡"})]
)
def test_town_scope_holds_in_sql_and_page_reads(two_towns: Path, who: Principal, towns: set[str]) -> None:
    with access.acting(who):
        sql_towns = set(sqlguard.run("SELECT DISTINCT town FROM v_disputes", two_towns)["town"])
        page_towns = {
            t for (t,) in db.reader(two_towns).cursor().execute("SELECT DISTINCT town FROM disputes").fetchall()
        }
        agg_towns = set(db.query("SELECT DISTINCT town FROM agg_disputes_month", path=two_towns)["town"])
        load_towns = set(
            db.query("SELECT DISTINCT s.town FROM loads JOIN load_sheets s USING (load_id)", path=two_towns)["town"]
        )
        rejects = len(sqlguard.run("SELECT * FROM v_rejects", two_towns))
    assert sql_towns == page_towns == agg_towns == load_towns == towns
    assert rejects == (1 if "东坪乡" in towns else 0)  # the 东坪乡 ledger's one bad row


def test_a_scoped_scorecard_equals_the_town_scorecard(two_towns: Path) -> None:
    from analytics.semantic.periods import parse
    from analytics.semantic.scorecard import scorecard

    everything = scorecard(db.reader(two_towns).cursor(towns=None), parse("2020"), "珠龙镇")
    with access.acting(STAFF_ZHULONG):
        scoped = scorecard(db.reader(two_towns).cursor(), parse("2020"), None)
    assert scoped["metrics"]["disputes_total"]["value"] == everything["metrics"]["disputes_total"]["value"] == 560
    assert scoped["metrics"] == everything["metrics"]


def test_masked_copies_follow_the_data_version(two_towns: Path, tmp_path: Path) -> None:
    path = Path(shutil.copyfile(two_towns, tmp_path / "warehouse.duckdb"))
    first = masked.readable_file(path, STAFF_ZHULONG)
    assert first != path and first.exists()
    ledger = tmp_path / "东坪乡2021年矛盾纠纷排查调处台账.xlsx"
    ledger.write_bytes(disputes_bytes(3, town="东坪乡", year=2021))
    load_file(ledger, path)
    second = masked.readable_file(path, STAFF_ZHULONG)
    assert second != first and second.exists() and not first.exists()  # the old copy is gone
    assert masked.readable_file(path, ADMIN.with_unmask(True)) == path


def test_users_passwords_and_roles(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    store.add("王芳", "correct horse", "staff", ["珠龙镇"], warehouse)
    with pytest.raises(store.UserError, match="已存在"):
        store.add("王芳", "another one", "viewer", None, warehouse)
    with pytest.raises(store.UserError, match="至少 8"):
        store.add("short", "1234567", "viewer", None, warehouse)
    with pytest.raises(store.UserError, match="角色"):
        store.add("x", "12345678", "root", None, warehouse)
    with pytest.raises(store.UserError, match="用户名"):
        store.add("a b<script>", "12345678", "viewer", None, warehouse)
    found = store.verify("王芳", "correct horse", "10.0.0.1", warehouse)
    assert found == Principal("王芳", "staff", ("珠龙镇",), "10.0.0.1")
    assert store.verify("王芳", "wrong horse", "", warehouse) is None
    assert store.verify("nobody", "correct horse", "", warehouse) is None
    con = sqlite3.connect(store.path_for(warehouse))
    (hashed,) = con.execute("SELECT password_hash FROM users").fetchone()
    con.close()
    assert hashed.startswith("$argon2id$") and "correct horse" not in hashed
    store.set_password("王芳", "new password", warehouse)
    assert store.verify("王芳", "correct horse", "", warehouse) is None
    assert store.verify("王芳", "new password", "", warehouse) is not None
    store.set_role("王芳", "viewer", None, warehouse)
    assert store.principal("王芳", "", warehouse) == Principal("王芳", "viewer", None, "")
    store.remove("王芳", warehouse)
    assert store.users(warehouse) == []


def test_roles_allow_what_the_readme_says() -> None:
    viewer, staff, admin = (Principal("x", role) for role in ("viewer", "staff", "admin"))
    assert [viewer.can(a) for a in ("view", "download", "explore", "sql", "load", "undo_any", "users")] == [
        True, True, False, False, False, False, False,
    ]  # fmt: skip
    assert [staff.can(a) for a in ("explore", "sql", "load", "undo_own", "undo_any", "unmask", "users")] == [
        True, True, True, True, False, False, False,
    ]  # fmt: skip
    assert all(admin.can(a) for a in access.ACTIONS)
    with pytest.raises(access.AccessDenied):
        STAFF_ZHULONG.require_town("东坪乡")


def test_a_town_admin_manages_their_towns_users_only(tmp_path: Path) -> None:
    """An admin limited to 东坪乡 changed their own towns to every town on 系统管理, and could make or remove
    anyone; they read every town's audit log. Now their town scope holds for users and the log too."""
    warehouse = tmp_path / "w.duckdb"
    for name, role, towns in (
        ("dp_admin", "admin", ["东坪乡"]),
        ("dp_staff", "staff", ["东坪乡"]),
        ("zl_staff", "staff", ["珠龙镇"]),
        ("both", "viewer", ["东坪乡", "珠龙镇"]),
        ("county", "admin", None),
    ):
        store.add(name, "correct horse", role, towns, warehouse)
    town_admin = store.principal("dp_admin", "", warehouse)
    assert town_admin is not None
    assert [u.name for u in manage.users(town_admin, warehouse)] == ["dp_admin", "dp_staff"]

    refused = [
        lambda: manage.set_role(town_admin, "dp_admin", "admin", None, warehouse),  # themselves, every town
        lambda: manage.set_role(town_admin, "dp_admin", "admin", ["东坪乡", "珠龙镇"], warehouse),
        lambda: manage.set_role(town_admin, "dp_staff", "admin", None, warehouse),
        lambda: manage.add(town_admin, "new_county", "correct horse", "admin", None, warehouse),
        lambda: manage.add(town_admin, "new_zl", "correct horse", "viewer", ["珠龙镇"], warehouse),
        lambda: manage.set_role(town_admin, "zl_staff", "staff", ["东坪乡"], warehouse),  # another town's user
        lambda: manage.set_role(town_admin, "both", "viewer", ["东坪乡"], warehouse),  # not all theirs
        lambda: manage.set_password(town_admin, "county", "a new password", warehouse),
        lambda: manage.remove(town_admin, "zl_staff", warehouse),
        lambda: manage.remove(town_admin, "county", warehouse),
    ]
    for attempt in refused:
        with pytest.raises(access.AccessDenied, match="东坪乡"):
            attempt()
    assert {(u.name, u.role, u.towns) for u in store.users(warehouse)} == {
        ("dp_admin", "admin", ("东坪乡",)), ("dp_staff", "staff", ("东坪乡",)), ("zl_staff", "staff", ("珠龙镇",)),
        ("both", "viewer", ("东坪乡", "珠龙镇")), ("county", "admin", None),
    }  # fmt: skip
    assert store.verify("county", "correct horse", "", warehouse) is not None

    manage.add(town_admin, "dp_viewer", "correct horse", "viewer", ["东坪乡"], warehouse)  # within theirs: yes
    manage.set_role(town_admin, "dp_staff", "admin", ["东坪乡"], warehouse)
    manage.set_password(town_admin, "dp_viewer", "a new password", warehouse)
    manage.remove(town_admin, "dp_viewer", warehouse)
    with pytest.raises(access.AccessDenied):  # a staff member manages nobody
        manage.users(Principal("dp_staff", "staff", ("东坪乡",)), warehouse)

    for who in (
        Principal("zl_staff", "staff", ("珠龙镇",), "10.0.0.8"),
        town_admin,
        Principal("dp_staff", "admin", ("东坪乡",)),
    ):
        audit.record("sql", {"sql": "SELECT 1"}, who=who, warehouse=warehouse)
    audit.record("sign_in_failed", who=Principal("", "viewer"), user="zl_staff", warehouse=warehouse)
    assert manage.audit_entries(town_admin, warehouse=warehouse)["user"].tolist() == ["dp_staff", "dp_admin"]
    assert manage.audit_entries(town_admin, 1, warehouse=warehouse)["user"].tolist() == ["dp_staff"]
    assert manage.audit_entries(town_admin, user="zl_staff", warehouse=warehouse).empty
    county = store.principal("county", "", warehouse)
    assert county is not None and manage.audit_entries(county, warehouse=warehouse)["user"].tolist() == [
        "zl_staff", "dp_staff", "dp_admin", "zl_staff",
    ]  # fmt: skip


def test_the_audit_log_is_append_only(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    audit.record("sign_in", {"how": "password"}, who=STAFF_ZHULONG, warehouse=warehouse)
    audit.record("sign_in_failed", who=Principal("", "viewer", None, "10.0.0.9"), user="eve", warehouse=warehouse)
    log = audit.entries(warehouse=warehouse)
    assert log[["user", "action"]].values.tolist() == [["eve", "sign_in_failed"], ["zl", "sign_in"]]
    assert log["source"].tolist()[0] == "10.0.0.9"
    con = sqlite3.connect(store.path_for(warehouse))
    for statement in ("UPDATE audit SET user = 'x'", "DELETE FROM audit"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            con.execute(statement)
    con.close()
    assert audit.recent_failures("eve", 15, warehouse) == 1


def test_saved_queries_belong_to_who_saved_them(two_towns: Path, tmp_path: Path) -> None:
    path = Path(shutil.copyfile(two_towns, tmp_path / "warehouse.duckdb"))
    with access.acting(STAFF_ZHULONG):
        saved_queries.save_query("村排名", "SELECT village, count(*) FROM v_disputes GROUP BY 1", path)
    with access.acting(STAFF_DONGPING):  # a query they can't see: the name is taken, its owner unnamed
        with pytest.raises(sqlguard.SqlError, match="已被使用") as refused:
            saved_queries.save_query("村排名", "SELECT 1", path)
        assert "zl" not in str(refused.value)
        with pytest.raises(sqlguard.SqlError, match="已被使用"):
            saved_queries.delete_query("村排名", path)
    seer = Principal("zl2", "staff", None)  # one who sees it is told whose it is
    with access.acting(seer), pytest.raises(sqlguard.SqlError, match="是 zl 保存的，只有本人或管理员"):
        saved_queries.save_query("村排名", "SELECT 1", path)
    assert saved_queries.get_query("村排名", path).owner == "zl"  # type: ignore[union-attr]
    with access.acting(ADMIN):
        assert saved_queries.delete_query("村排名", path)


def test_a_query_saved_before_queries_had_owners_is_an_admins(two_towns: Path, tmp_path: Path) -> None:
    """A 东坪乡 clerk replaced it (an outside test's finding): nobody owned it, so anyone could."""
    path = Path(shutil.copyfile(two_towns, tmp_path / "warehouse.duckdb"))
    with duckdb.connect(str(path)) as con:
        con.execute("INSERT INTO saved_queries (name, sql, saved_at, owner) VALUES ('县汇总', 'SELECT 1', now(), NULL)")
    with access.acting(STAFF_DONGPING), pytest.raises(sqlguard.SqlError, match="已被使用"):
        saved_queries.save_query("县汇总", "SELECT 2", path)
    with access.acting(Principal("county", "staff", None)), pytest.raises(sqlguard.SqlError, match="是 管理员 保存的"):
        saved_queries.save_query("县汇总", "SELECT 2", path)
    with access.acting(ADMIN):
        saved_queries.save_query("县汇总", "SELECT 3", path)
    assert saved_queries.get_query("县汇总", path).sql == "SELECT 3"  # type: ignore[union-attr]


def test_saved_queries_are_seen_within_their_owners_towns(two_towns: Path, tmp_path: Path) -> None:
    path = Path(shutil.copyfile(two_towns, tmp_path / "warehouse.duckdb"))
    for name, role, towns in (("zl", "staff", ["珠龙镇"]), ("dp", "staff", ["东坪乡"]), ("root", "admin", None)):
        store.add(name, "correct horse battery", role, towns, path)
    with access.acting(STAFF_ZHULONG):
        saved_queries.save_query("王姓调解员", "SELECT mediator FROM v_disputes WHERE mediator LIKE '王%'", path)
    with access.acting(ADMIN):
        saved_queries.save_query("各村件数", "SELECT village, count(*) FROM v_disputes GROUP BY 1", path)
    with access.acting(STAFF_DONGPING):
        assert [q.name for q in saved_queries.list_queries(path)] == ["各村件数"]  # not another town's
        assert saved_queries.get_query("王姓调解员", path) is None
        with pytest.raises(sqlguard.SqlError, match="名称「王姓调解员」已被使用，请换一个名称"):  # taken, unnamed
            saved_queries.save_query("王姓调解员", "SELECT 1", path)
    with access.acting(Principal("both", "staff", ("东坪乡", "珠龙镇"))):
        assert {q.name for q in saved_queries.list_queries(path)} == {"各村件数", "王姓调解员"}
    with access.acting(Principal("dp_admin", "admin", ("东坪乡",))):  # a town's admin: their town's users' only
        with pytest.raises(sqlguard.SqlError, match="已被使用"):
            saved_queries.delete_query("王姓调解员", path)
        with pytest.raises(sqlguard.SqlError, match="是 root 保存的"):
            saved_queries.save_query("各村件数", "SELECT 1", path)
    with access.acting(STAFF_DONGPING):
        saved_queries.save_query("东坪乡件数", "SELECT count(*) FROM v_disputes", path)
    with access.acting(Principal("dp_admin", "admin", ("东坪乡",))):
        assert saved_queries.delete_query("东坪乡件数", path)
    with access.acting(VIEWER_ALL):
        assert len(saved_queries.list_queries(path)) == 2


def test_a_relation_of_no_town_is_hidden_from_a_town_unless_shared(two_towns: Path, tmp_path: Path) -> None:
    path = Path(shutil.copyfile(two_towns, tmp_path / "warehouse.duckdb"))
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE notes AS SELECT '东坪乡的备注' AS note")
        con.execute("INSERT INTO saved_queries (name, sql, saved_at, owner) VALUES ('q', 'SELECT 1', now(), 'root')")
    cur = db.reader(path).cursor(towns=("珠龙镇",))
    try:
        assert cur.execute("SELECT count(*) FROM notes").fetchone() == (0,)  # added later, no town: hidden
        assert cur.execute("SELECT count(*) FROM saved_queries").fetchone() == (1,)  # shared by design
    finally:
        cur.close()


def _cli(*args: str, db_path: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "analytics", "--db", str(db_path), *args],
        cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_the_command_line_masks_unless_asked_and_audits(two_towns: Path, secrets_of: set[str]) -> None:
    masked_run = _cli("sql", "SELECT name, cert_no FROM v_staff", db_path=two_towns)
    assert masked_run.returncode == 0 and "**" in masked_run.stdout
    assert not [s for s in secrets_of if s in masked_run.stdout]
    shown = _cli("sql", "--unmask", "SELECT name FROM v_staff", db_path=two_towns)
    assert shown.returncode == 0 and [s for s in secrets_of if s in shown.stdout]
    log = audit.entries(10, action="sql", warehouse=two_towns)
    assert log["detail"].str.contains('"unmask": true').any() and log["user"].str.startswith("cli:").all()


def test_users_from_the_command_line(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    first = _cli("users", "init", db_path=warehouse)
    assert first.returncode == 0 and "admin" in first.stdout
    password = first.stdout.split("密码 ")[1].split("（")[0]
    assert store.verify("admin", password, "", warehouse) is not None
    assert _cli("users", "init", db_path=warehouse).stdout == ""  # only on the first run
    added = _cli("users", "add", "李雷", "--role", "staff", "--towns", "珠龙镇,东坪乡", "--password-stdin",
                 db_path=warehouse, stdin="s3cret-pass\n")  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert store.principal("李雷", "", warehouse) == Principal("李雷", "staff", ("珠龙镇", "东坪乡"), "")
    listed = _cli("users", "list", db_path=warehouse).stdout
    assert "李雷\tstaff\t珠龙镇、东坪乡" in listed and "s3cret" not in listed
    refused = _cli("users", "add", "x", "--role", "staff", "--password-stdin", db_path=warehouse, stdin="short\n")
    assert refused.returncode == 1 and "至少 8" in refused.stderr
    town_admin = _cli("users", "add", "韩梅", "--role", "admin", "--towns", "东坪乡", "--password-stdin",
                      db_path=warehouse, stdin="s3cret-pass\n")  # fmt: skip
    assert town_admin.returncode == 0 and "只能管理乡镇都在东坪乡之内的账号" in town_admin.stdout
    actions = audit.entries(warehouse=warehouse)["action"].tolist()
    assert actions.count("user_add") == 3
