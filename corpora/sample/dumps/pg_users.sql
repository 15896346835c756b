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
1000	09af6aaf-3c42-4b3c-950b-b6521872f1b1	18702066432	qiang.zhao@example.com	500103197012055530	1971-10-07	111.206.59.115	\N	{"lang": "zh-CN"}	2024-03-08 22:22:41.261544+08
1001	29a8f6a1-cbed-42cb-9b34-209ae92ea311	\N	\N	\N	\N	2408:8456:b0b7:a510:cda4:c60f:742f:6d20	64:09:80:e5:88:8c	{"lang": "zh-CN"}	2024-03-05 03:00:39.181360+08
1002	0f23f337-dc7b-4401-92bb-44103e92a587	15027408668	\N	\N	\N	223.104.238.232	\N	{"idfa": "B1BEB7EF-A37A-45DD-80D3-FC5F95B5FD5E", "lang": "zh-CN"}	2024-03-03 16:55:58.349546+08
1003	8d8a7a85-b2ef-48c8-93dc-ccffcdd0559e	15270813984	\N	\N	2002-05-16	\N	\N	{"birthday": "1964-12-14", "tw_id": "W250449265"}	2024-03-12 17:09:01.952886+08
1004	15a16aa5-da30-4e50-920b-be16e2e84b0d	\N	\N	\N	\N	\N	\N	{"lang": "zh-CN"}	2024-03-01 00:15:22.534712+08
1005	eaa90883-ff7b-41e5-a451-423da205ffca	\N	ming.wu@example.org	\N	\N	124.64.237.230	\N	{"lang": "zh-CN"}	2024-03-01 12:24:05.751545+08
1006	f619ca81-d127-418f-a2cd-f78570803eb5	\N	\N	\N	\N	2408:8207:a0b8:fe35:9f23:9672:6af0:e6f9	ac:c1:ee:36:3d:2e	{"passport_no": "G56630743", "nationality": "CN"}	2024-03-01 12:04:34.423869+08
1007	9b54c06a-1144-4ae9-a8fc-1bb27e743544	15063602894	minzhu75@mail.example.com	650102197103021287	1993-09-19	124.64.235.74	\N	{"lang": "zh-CN"}	2024-03-06 11:58:07.956401+08
1008	c81d58f0-8238-44f0-8d89-f9bf755bfa9a	\N	\N	\N	1986-12-14	114.247.96.227	28:6c:07:6d:6e:c4	{"lang": "zh-CN"}	2024-03-07 16:55:43.807173+08
1009	0f9f7211-2d36-485f-b55f-8d1acdb02616	\N	hui.ma@example.com	\N	\N	\N	\N	{"lang": "zh-CN"}	2024-03-01 15:27:34.926367+08
1010	795ef4a6-c876-421f-8a46-73dd44a2842b	15254909087	tao_chen@mail.example.com	\N	\N	\N	\N	{"lang": "zh-CN"}	2024-03-08 14:24:11.820436+08
1011	a9e80244-a55d-4d62-9fd6-b9065aca4c70	18672762151	lei.zhou@example.com	650102198512278934	\N	114.247.69.27	\N	{"lang": "zh-CN"}	2024-03-11 02:11:57.396789+08
1012	b59c9b80-5ccc-445a-89d6-c276853a69e8	\N	tao_zhang@corp.example.net	310104196602274318	\N	\N	\N	{"lang": "zh-CN"}	2024-03-14 10:45:37.338466+08
1013	fd379260-cd9f-45cb-bd13-f38867ab113f	13924978385	\N	\N	\N	60.191.81.177	\N	{"lang": "zh-CN"}	2024-03-07 13:49:16.555892+08
1014	57ac8662-10dc-46d1-8320-34a5b9ea1f8e	\N	\N	\N	\N	\N	\N	{"lang": "zh-CN"}	2024-03-05 00:44:36.150504+08
1015	b997c51d-99ad-46a6-9516-76a28e075ef5	15112466348	\N	\N	1976-02-27	\N	\N	{"lang": "zh-CN"}	2024-03-07 08:58:17.134509+08
1016	24635f30-da22-4dcf-a203-d5da370e13c1	13577838150	hui.huang@mail.example.com	\N	\N	\N	\N	{"lang": "zh-CN"}	2024-03-01 01:56:46.027530+08
1017	78fc0d37-46fe-4245-88fc-6dc058c5a1d0	\N	\N	\N	\N	\N	d4:61:9d:b5:1d:c0	{"lang": "zh-CN"}	2024-03-10 04:08:41.547220+08
1018	c7d7c012-dad2-4046-8231-243bdabd5488	15934648555	chao_zhou@example.org	\N	\N	\N	\N	{"lang": "zh-CN"}	2024-03-11 10:27:43.986113+08
1019	9ca41d9d-ab97-4519-b708-7a1da7c1358f	\N	minli5@corp.example.net	500103197608167074	\N	124.64.136.246	\N	{"oaid": "69a00202-e2cc-49a0-9ba2-84b96f357233", "channel": "vivo"}	2024-03-03 23:29:34.515629+08
1020	a63152e0-c4e1-4660-94ec-46e472da4b9c	\N	chao_ma@example.com	\N	\N	223.104.104.149	48:3c:0c:b9:b5:8e	{"lang": "zh-CN"}	2024-03-13 20:26:23.270829+08
1021	bd7dc30f-71cb-4575-bb28-e0a2dea6d36d	15905780760	\N	450103200211061183	\N	114.247.155.149	\N	{"lang": "zh-CN"}	2024-03-02 10:11:32.902796+08
1022	fb2a4e67-d16d-45d0-9ee7-eac346a60c22	13397377496	\N	\N	\N	124.64.225.23	\N	{"permit_no": "CE7748628", "dob": "1992.10.22"}	2024-03-05 07:02:34.672128+08
1023	3ac9fde5-2120-49a4-8929-0184e925c546	18316899621	\N	370202196207112400	\N	39.144.66.231	\N	{"lang": "zh-CN"}	2024-03-13 17:53:08.068882+08
1024	06780848-3edc-4045-a427-011592edbc26	13356420430	\N	\N	\N	\N	\N	{"lang": "zh-CN"}	2024-03-07 15:49:22.110835+08
1025	48b892e8-e71c-431b-ba21-0083e3b8b3c7	\N	lei_huang@corp.example.net	\N	1987-02-13	240e:3b4:9f99:1c39:c7e9:96b3:68a3:7ffe	a4:50:46:2f:4a:36	{"lang": "zh-CN"}	2024-03-10 01:32:49.145803+08
1026	ca48557d-dd0a-4fce-be80-ccba920f797b	\N	\N	\N	\N	124.64.119.170	\N	{"lang": "zh-CN"}	2024-03-10 11:50:22.390725+08
1027	38099724-f8d0-423f-8e2d-2aa9d5b32f60	\N	\N	450103198705075569	\N	\N	\N	{"lang": "zh-CN"}	2024-03-12 07:50:41.442280+08
1028	1259efcb-7a66-40a3-ab59-26432d155150	\N	\N	\N	\N	114.247.58.128	\N	{"lang": "zh-CN"}	2024-03-09 14:24:47.426765+08
1029	d941e731-296c-4c8f-8832-d39abce0e586	\N	\N	\N	\N	\N	\N	{"lang": "zh-CN"}	2024-03-14 02:50:06.998920+08
1030	18da6edf-f187-4e1c-af75-a764c7b38bb4	17788475065	chao.ma@corp.example.net	450103197703196274	2001-06-28	\N	\N	{"lang": "zh-CN"}	2024-03-14 11:04:35.054587+08
1031	fb76cff1-47cf-4d86-907e-1c2f17f20dd6	13292921596	jing_zhang@corp.example.net	110108196006171425	\N	39.144.62.238	\N	{"lang": "zh-CN"}	2024-03-01 07:02:04.588614+08
1032	49ed7d4b-3aa1-4e73-ab3a-c3ff48616dcf	15108076647	ming.ma@example.org	\N	\N	183.192.152.14	\N	{"lang": "zh-CN"}	2024-03-09 14:00:27.643345+08
1033	1575c475-e241-4788-a8e4-df9b5ac07b28	15672833208	fang_zhou@mail.example.com	\N	\N	183.192.157.233	\N	{"hkid": "K6796761", "lang": "zh-HK"}	2024-03-01 10:55:45.514805+08
1034	5dff8536-1ed4-4c40-8c79-034593f68567	15846405257	\N	\N	2000-09-28	111.206.87.142	48:3c:0c:6c:78:38	{"lang": "zh-CN"}	2024-03-10 23:54:56.329021+08
1035	3a46f99f-f136-4015-bb67-80a021a41303	18671067552	\N	61011319871104290X	\N	101.86.207.47	a4:50:46:a2:df:bb	{"idfv": "672187CD-C955-4D1C-8F67-E040BCF06A96", "push": true}	2024-03-09 22:13:28.026834+08
1036	96192f78-c1b0-4ba9-b10d-8730b9fe7952	15953919073	chao.zhao@mail.example.com	\N	\N	\N	\N	{"lang": "zh-CN"}	2024-03-05 02:16:09.591372+08
1037	1a0f9402-b62a-4d26-82be-ea05d33ae798	18051183979	\N	\N	\N	111.206.158.176	\N	{"lang": "zh-CN"}	2024-03-11 07:55:55.934562+08
1038	c90892a3-1896-4c2e-9655-5df50da8ea25	\N	jing_hu@mail.example.com	320102198107233779	\N	\N	ac:c1:ee:82:8f:66	{"lang": "zh-CN"}	2024-03-07 12:24:54.654994+08
1039	fa1520ea-9ed5-4c95-96a6-f7f4e8b85997	18909557206	\N	\N	\N	\N	ac:c1:ee:0b:79:91	{"lang": "zh-CN"}	2024-03-10 16:23:37.856672+08
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

