--
-- PostgreSQL database dump
--

-- Dumped from database version 15.5 (Debian 15.5-1.pgdg120+1)
-- Dumped by pg_dump version 15.5 (Debian 15.5-1.pgdg120+1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: app_users; Type: TABLE; Schema: public; Owner: app
--

CREATE TABLE public.app_users (
    id bigint NOT NULL,
    uid uuid NOT NULL,
    phone character varying(20),
    email text,
    id_card character(18),
    birthday date,
    last_login_ip inet,
    mac_addr macaddr,
    profile jsonb,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);


ALTER TABLE public.app_users OWNER TO app;

--
-- Data for Name: app_users; Type: TABLE DATA; Schema: public; Owner: app
--

COPY public.app_users (id, uid, phone, email, id_card, birthday, last_login_ip, mac_addr, profile, created_at) FROM stdin;
1000	2e9efb36-202c-4c56-8287-d8c864d6996b	15824553152	\N	120101196204087539	\N	\N	\N	{"lang": "zh-CN"}	2024-03-14 16:48:38.252595+08
1001	a0b79cc2-16b4-450c-994a-1de270f410c4	18350107444	\N	110108196604194221	\N	114.247.103.140	\N	{"lang": "zh-CN"}	2024-03-08 19:57:32.060638+08
1002	e7c12d7c-ed28-4297-9a3a-a3c7f4563c8b	\N	\N	\N	1993-06-26	\N	\N	{"lang": "zh-CN"}	2024-03-13 22:53:11.465602+08
1003	8b1d3cfd-f217-490a-81c4-60bef0efb40d	\N	\N	370202198705228317	\N	\N	\N	{"idfa": "135C181D-6552-4870-B356-1E16DBFE7EB2", "lang": "zh-CN"}	2024-03-12 13:44:30.949044+08
1004	09a30c0c-b074-46de-8131-c60c50425b88	\N	nawu69@example.org	320102197502268985	1967-06-16	117.136.64.90	\N	{"lang": "zh-CN"}	2024-03-07 01:12:55.614472+08
1005	6c1d1640-ba58-435e-b919-46aba299985d	\N	\N	\N	\N	60.191.177.237	\N	{"birthday": "2000-01-13", "tw_id": "N176787769"}	2024-03-10 17:33:22.880528+08
1006	1b466e00-9a42-47f0-b8d8-c9a813658596	18066307430	qiang.zhou@example.org	\N	1974-07-01	101.86.163.214	\N	{"lang": "zh-CN"}	2024-03-13 19:19:17.122807+08
1007	c44ecbe8-5ecd-4650-bd77-de90d43fda18	15174201282	\N	\N	\N	2409:8a1e:c4ce:df0e:6a56:d1e9:6cec:fb66	48:3c:0c:d6:08:e7	{"lang": "zh-CN"}	2024-03-02 05:45:54.785093+08
1008	68a93927-befa-4ec4-aadf-3bb3d8f74906	18652233668	\N	\N	\N	117.136.45.45	\N	{"passport_no": "G02779980", "nationality": "CN"}	2024-03-08 13:34:56.281128+08
1009	9008a74b-795e-44a6-8876-521f8a4673dd	15254909087	tao_chen@mail.example.com	\N	\N	\N	\N	{"lang": "zh-CN"}	2024-03-08 14:24:11.820436+08
1010	a9e80244-a55d-4d62-9fd6-b9065aca4c70	18672762151	lei.zhou@example.com	650102198512278934	\N	114.247.69.27	\N	{"lang": "zh-CN"}	2024-03-11 02:11:57.396789+08
1011	b59c9b80-5ccc-445a-89d6-c276853a69e8	\N	tao_zhang@corp.example.net	310104196602274318	\N	\N	\N	{"lang": "zh-CN"}	2024-03-14 10:45:37.338466+08
1012	fd379260-cd9f-45cb-bd13-f38867ab113f	13924978385	\N	\N	\N	60.191.81.177	\N	{"lang": "zh-CN"}	2024-03-07 13:49:16.555892+08
1013	57ac8662-10dc-46d1-8320-34a5b9ea1f8e	\N	\N	\N	\N	\N	\N	{"lang": "zh-CN"}	2024-03-05 00:44:36.150504+08
1014	b997c51d-99ad-46a6-9516-76a28e075ef5	15112466348	\N	\N	1976-02-27	\N	\N	{"oaid": "46296260-ea23-4c7f-86af-98386cc8b932", "channel": "vivo"}	2024-03-03 06:56:54.149045+08
1015	fbcc19bd-1171-4154-9f25-1cc698160743	15881504374	hui_li@corp.example.net	110105195501245045	\N	\N	\N	{"lang": "zh-CN"}	2024-03-10 20:30:06.572611+08
1016	0ecf241f-cf54-47f0-9ae4-97ce89ecbe73	15028894434	\N	\N	\N	183.192.187.87	d4:61:9d:e7:8a:7c	{"lang": "zh-CN"}	2024-03-05 07:44:31.951144+08
1017	a532b0e3-6b77-45c8-a332-881826a9214a	18541380315	\N	120101195608280787	\N	39.144.227.106	\N	{"permit_no": "CQ8771571", "dob": "1987.08.11"}	2024-03-02 11:05:38.081637+08
1018	68d114fa-08d2-4f60-9400-d0a867f5eee4	18046547940	\N	\N	\N	114.247.2.167	\N	{"lang": "zh-CN"}	2024-03-02 09:48:05.060630+08
1019	a81cb626-4915-4f92-9269-18617d69e1b5	15291185508	\N	\N	1980-03-17	\N	\N	{"lang": "zh-CN"}	2024-03-07 17:03:39.493766+08
1020	acaa08c8-748b-4b13-9703-b58337110f49	18566885312	\N	140105198003189430	2001-03-08	114.247.19.181	\N	{"lang": "zh-CN"}	2024-03-12 19:57:46.627979+08
1021	f9e11a2b-d283-42b7-9039-fd7df04a4a63	13510316562	weizhou33@corp.example.net	\N	\N	\N	\N	{"lang": "zh-CN"}	2024-03-02 18:41:15.026496+08
1022	5e4a75de-0e7c-44d5-b3dd-e3e63cb2215a	\N	\N	\N	\N	\N	a4:50:46:7e:1d:eb	{"lang": "zh-CN"}	2024-03-07 21:11:13.394488+08
1023	1b0f30ab-5924-46cc-847e-19517f9eb942	\N	\N	\N	\N	2408:8207:929c:e589:c983:416f:98e7:7e17	48:3c:0c:5f:79:18	{"lang": "zh-CN"}	2024-03-12 16:22:27.066489+08
1024	ad70e62d-ca23-4efb-ac65-bb92ecce2e07	15019082990	\N	210102200208229554	\N	111.206.216.4	\N	{"hkid": "B8439554", "lang": "zh-HK"}	2024-03-11 13:35:05.760841+08
1025	b63e807a-2fe0-4cc4-aaf2-7bd048a1094b	18526718244	minzhao57@example.org	\N	\N	60.191.160.147	\N	{"lang": "zh-CN"}	2024-03-14 16:06:22.839002+08
1026	e11d4213-ebaf-4d33-8fc7-8262dc29abd2	\N	\N	\N	\N	124.64.234.154	\N	{"lang": "zh-CN"}	2024-03-09 17:51:42.889757+08
1027	502c1569-7071-494e-b971-092a42441415	18350990445	huiwu18@example.org	\N	\N	114.247.204.15	\N	{"idfv": "0D53B125-8FDA-4F35-923C-277A5DEC48D8", "push": true}	2024-03-02 08:15:03.953541+08
1028	99ff589f-cfe5-4349-8ab6-dcc4cddc8156	\N	fangwang88@mail.example.com	\N	1960-05-26	\N	\N	{"lang": "zh-CN"}	2024-03-01 00:05:22.526804+08
1029	123bd947-0888-453f-85a4-1551e7732dd9	18755793030	\N	500103197303087209	\N	114.247.99.76	\N	{"lang": "zh-CN"}	2024-03-06 17:48:41.485658+08
1030	50acf977-0b5d-4925-9f58-916f1f3b5058	\N	\N	450103197610028706	\N	223.104.148.14	\N	{"lang": "zh-CN"}	2024-03-03 16:13:57.808534+08
1031	0b91cb16-2971-4eac-aff0-8d2035f7bdca	\N	fang_zhou@mail.example.com	\N	\N	183.192.157.233	\N	{"lang": "zh-CN"}	2024-03-08 13:30:39.403677+08
1032	7e846073-f7c6-479c-8c8b-62b3f1cd6082	17879415968	jing_zhao@example.com	\N	\N	\N	d4:61:9d:06:61:ad	{"lang": "zh-CN"}	2024-03-09 04:14:28.222551+08
1033	97b891cc-1c3f-458f-bc60-7def964e7469	\N	\N	530102196903278679	\N	\N	\N	{"lang": "zh-CN"}	2024-03-12 01:55:25.515877+08
1034	933b7d2f-2de7-4334-941a-d5005098868b	\N	\N	\N	1968-10-01	\N	d4:61:9d:5d:20:8b	{"lang": "zh-CN"}	2024-03-06 13:53:47.937927+08
1035	bcf06a96-5d82-45ae-ac59-7915ddef26af	18383709045	\N	\N	\N	111.206.24.168	\N	{"lang": "zh-CN"}	2024-03-05 04:04:43.704942+08
1036	a01785df-bc55-46e2-a226-bbc78b9120e5	13642981595	\N	\N	\N	101.86.62.176	\N	{"lang": "zh-CN"}	2024-03-14 19:51:59.823320+08
1037	330e2a8c-9a10-46b5-837e-6fda6ce8a182	18383091754	\N	\N	\N	\N	\N	{"lang": "zh-CN"}	2024-03-04 07:45:53.913313+08
1038	c88d06e6-ce74-4ed3-b289-a47f7a1b3778	13390944366	huiwu90@corp.example.net	\N	\N	\N	\N	{"lang": "zh-CN"}	2024-03-08 20:08:47.911938+08
1039	cfa40afa-9a56-45c7-a1fe-bc160de35449	\N	chaoxu73@example.cn	\N	1978-10-17	36.112.211.138	\N	{"lang": "zh-CN"}	2024-03-07 09:03:53.140686+08
\.


--
-- Name: app_users_id_seq; Type: SEQUENCE SET; Schema: public; Owner: app
--

SELECT pg_catalog.setval('public.app_users_id_seq', 1040, true);


--
-- Name: app_users app_users_pkey; Type: CONSTRAINT; Schema: public; Owner: app
--

ALTER TABLE ONLY public.app_users
    ADD CONSTRAINT app_users_pkey PRIMARY KEY (id);


--
-- PostgreSQL database dump complete
--

