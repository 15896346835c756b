#!/usr/bin/env python3
"""Generate the SQL dumps of corpora/sql/ for tests/e2e/sql_roundtrip.sh.

    python3 corpora/gen/make_sql.py [REPO_ROOT]

mysql_shop.sql   as mysqldump writes it (CREATE TABLE, multi-row INSERTs
                 without a column list, one with a list), loadable by
                 MariaDB 10.x and MySQL 8;
pg_app.sql       as pg_dump writes it (SET ..., CREATE TABLE, COPY ... FROM
                 stdin with tab-separated rows and \\. , plus INSERTs as
                 pg_dump --inserts writes them), loadable by PostgreSQL 15.

Personal data (FAKE, checksum-valid, from make_sample.py's generators) sits
in text columns, so that any replacement -- a mask, an encrypt token --
still loads; the other columns (ids, amounts, statuses, timestamps, and a
note full of quotes and backslashes but no personal data) must come back
unchanged after redaction, which is what the round trip compares.
Deterministic (fixed seed); the generated files are committed.
"""

import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_sample as m  # noqa: E402  (its value generators)

m.R.seed(20240401)
R = m.R
ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "corpora", "sql")

NOTES = ["it's fine", 'say "hi"', "back\\slash C:\\tmp\\new", "semi; colon, comma", "tab\there", "多行\n备注",
         "", "NULL-ish", "50% off_", "quote '' twice"]
STATUS = ["paid", "shipped", "refunded", "new"]
ADDRS = ["广东省深圳市南山区科技园路88号2栋301室", "北京市朝阳区建国路93号院5号楼1单元1201",
         "浙江省杭州市西湖区文三路259号", "上海市浦东新区张杨路500号11层"]


def my_str(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\t", "\\t") + "'"


def pg_str(s):
    return "'" + s.replace("'", "''") + "'"


def copy_field(s):
    if s is None:
        return "\\N"
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def rows(n):
    out = []
    for i in range(n):
        out.append({
            "id": 1000 + i,
            "name": m.cn_name(),
            "mobile": m.mobile(),
            "id_card": m.id18() if R.random() < 0.6 else None,
            "email": m.email() if R.random() < 0.7 else None,
            "card": m.card("622202", 19) if R.random() < 0.4 else None,
            "birthday": m.birth("iso") if R.random() < 0.5 else None,
            "ip": m.ipv4(),
            "imei": m.imei("86") if R.random() < 0.4 else None,
            "address": R.choice(ADDRS) if R.random() < 0.5 else None,
            "amount": "%d.%02d" % (R.randint(1, 9999), R.randint(0, 99)),
            "status": R.choice(STATUS),
            "note": R.choice(NOTES),
            "created_at": "2024-03-%02d %02d:%02d:%02d" % (R.randint(1, 28), R.randint(0, 23), R.randint(0, 59),
                                                          R.randint(0, 59)),
        })
    return out


COLS = ["id", "name", "mobile", "id_card", "email", "card", "birthday", "ip", "imei", "address", "amount", "status",
        "note", "created_at"]


def mysql_dump(rs):
    L = ["-- MySQL dump 10.13  Distrib 8.0.35, for Linux (x86_64)", "--", "-- Host: localhost    Database: shop",
         "-- ------------------------------------------------------", "-- Server version\t8.0.35", "",
         "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;", "/*!50503 SET NAMES utf8mb4 */;",
         "/*!40103 SET TIME_ZONE='+00:00' */;", "", "--", "-- Table structure for table `customers`", "--", "",
         "DROP TABLE IF EXISTS `customers`;",
         "CREATE TABLE `customers` (",
         "  `id` bigint NOT NULL,",
         "  `name` varchar(200) DEFAULT NULL COMMENT '收货人',",
         "  `mobile` varchar(200) NOT NULL,",
         "  `id_card` varchar(200) DEFAULT NULL,",
         "  `email` varchar(200) DEFAULT NULL,",
         "  `bank_card` varchar(200) DEFAULT NULL,",
         "  `birthday` varchar(200) DEFAULT NULL,",
         "  `reg_ip` varchar(200) DEFAULT NULL,",
         "  `device_imei` varchar(200) DEFAULT NULL,",
         "  `address` varchar(400) DEFAULT NULL,",
         "  `amount` decimal(10,2) NOT NULL DEFAULT '0.00',",
         "  `status` varchar(16) NOT NULL,",
         "  `note` varchar(200) DEFAULT NULL,",
         "  `created_at` datetime NOT NULL,",
         "  PRIMARY KEY (`id`),",
         "  KEY `idx_mobile` (`mobile`)",
         ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;", "", "--",
         "-- Dumping data for table `customers`", "--", "", "LOCK TABLES `customers` WRITE;",
         "/*!40000 ALTER TABLE `customers` DISABLE KEYS */;"]

    def tup(r):
        v = [str(r["id"])]
        for k in ["name", "mobile", "id_card", "email", "card", "birthday", "ip", "imei", "address"]:
            v.append("NULL" if r[k] is None else my_str(r[k]))
        v += [r["amount"], my_str(r["status"]), my_str(r["note"]), my_str(r["created_at"])]
        return "(" + ",".join(v) + ")"
    body = rs[:-5]
    for k in range(0, len(body), 8):
        L.append("INSERT INTO `customers` VALUES " + ",".join(tup(r) for r in body[k:k + 8]) + ";")
    cols = "`id`,`name`,`mobile`,`id_card`,`email`,`bank_card`,`birthday`,`reg_ip`,`device_imei`,`address`," \
           "`amount`,`status`,`note`,`created_at`"
    L.append("INSERT INTO `customers` (%s) VALUES %s;" % (cols, ",".join(tup(r) for r in rs[-5:])))
    L += ["/*!40000 ALTER TABLE `customers` ENABLE KEYS */;", "UNLOCK TABLES;", "",
          "-- Dump completed on 2024-04-01 10:00:00"]
    return "\n".join(L) + "\n"


def pg_dump(rs):
    L = ["--", "-- PostgreSQL database dump", "--", "", "-- Dumped from database version 15.5", "",
         "SET statement_timeout = 0;", "SET client_encoding = 'UTF8';", "SET standard_conforming_strings = on;",
         "SELECT pg_catalog.set_config('search_path', '', false);", "SET client_min_messages = warning;", "",
         "CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$",
         "BEGIN NEW.note := coalesce(NEW.note, ''); RETURN NEW; END; $$;", "",
         "CREATE TABLE public.customers (",
         "    id bigint NOT NULL,", "    name text,", "    mobile text NOT NULL,", "    id_card text,",
         "    email text,", "    bank_card text,", "    birthday text,", "    reg_ip text,", "    device_imei text,",
         "    address text,", "    amount numeric(10,2) NOT NULL,", "    status character varying(16) NOT NULL,",
         "    note text,", "    created_at timestamp without time zone NOT NULL", ");", "",
         "CREATE TABLE public.orders (", "    order_no bigint NOT NULL,", "    customer_id bigint NOT NULL,",
         "    receiver_phone text,", "    receiver_name text,", "    amount numeric(10,2) NOT NULL", ");", "",
         "COPY public.customers (id, name, mobile, id_card, email, bank_card, birthday, reg_ip, device_imei, "
         "address, amount, status, note, created_at) FROM stdin;"]
    for r in rs:
        L.append("\t".join(copy_field(x) for x in [str(r["id"]), r["name"], r["mobile"], r["id_card"], r["email"],
                                                   r["card"], r["birthday"], r["ip"], r["imei"], r["address"],
                                                   r["amount"], r["status"], r["note"], r["created_at"]]))
    L += ["\\.", "", ""]
    for i, r in enumerate(rs[:12]):
        L.append("INSERT INTO public.orders VALUES (%d, %d, %s, %s, %s);" % (
            202400000 + i, r["id"], pg_str(m.mobile()), pg_str(m.cn_name()), r["amount"]))
    L += ["", "ALTER TABLE ONLY public.customers ADD CONSTRAINT customers_pkey PRIMARY KEY (id);", "",
          "--", "-- PostgreSQL database dump complete", "--"]
    return "\n".join(L) + "\n"


def main():
    os.makedirs(OUT, exist_ok=True)
    rs = rows(40)
    with open(os.path.join(OUT, "mysql_shop.sql"), "w", encoding="utf-8", newline="\n") as f:
        f.write(mysql_dump(rs))
    rs = rows(40)
    with open(os.path.join(OUT, "pg_app.sql"), "w", encoding="utf-8", newline="\n") as f:
        f.write(pg_dump(rs))


if __name__ == "__main__":
    main()
