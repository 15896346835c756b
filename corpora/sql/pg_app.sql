--
-- PostgreSQL database dump
--

-- Dumped from database version 15.5

SET statement_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET client_min_messages = warning;

CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.note := coalesce(NEW.note, ''); RETURN NEW; END; $$;

CREATE TABLE public.customers (
    id bigint NOT NULL,
    name text,
    mobile text NOT NULL,
    id_card text,
    email text,
    bank_card text,
    birthday text,
    reg_ip text,
    device_imei text,
    address text,
    amount numeric(10,2) NOT NULL,
    status character varying(16) NOT NULL,
    note text,
    created_at timestamp without time zone NOT NULL
);

CREATE TABLE public.orders (
    order_no bigint NOT NULL,
    customer_id bigint NOT NULL,
    receiver_phone text,
    receiver_name text,
    amount numeric(10,2) NOT NULL
);

COPY public.customers (id, name, mobile, id_card, email, bank_card, birthday, reg_ip, device_imei, address, amount, status, note, created_at) FROM stdin;
1000	陈涛超	13131762179	\N	leizhou58@mail.example.com	\N	\N	120.244.130.22	\N	广东省深圳市南山区科技园路88号2栋301室	8224.07	refunded	say "hi"	2024-03-11 05:25:46
1001	徐超	18521237513	\N	chao.yang@example.org	\N	\N	124.64.248.143	868925001051498	浙江省杭州市西湖区文三路259号	6305.14	new	say "hi"	2024-03-16 00:18:52
1002	何婷	17856598972	230103197110143336	ming.huang@example.cn	\N	\N	58.246.74.19	\N	\N	757.51	new	tab\there	2024-03-04 17:39:52
1003	林洋	18015723519	530102197611218134	nama56@mail.example.com	\N	\N	117.136.56.139	\N	上海市浦东新区张杨路500号11层	8612.35	paid	back\\slash C:\\tmp\\new	2024-03-07 20:22:49
1004	李磊	13871703492	440106198305152753	\N	\N	1992-08-02	223.104.22.96	\N	\N	3213.16	paid	say "hi"	2024-03-17 20:51:38
1005	何敏	15545040611	\N	jing.ma@example.cn	\N	1963-07-17	117.136.196.172	866213115551493	\N	6873.72	refunded	tab\there	2024-03-22 10:46:32
1006	张婷	13735791358	51010719861109607X	\N	\N	1969-11-15	101.86.125.180	860893163508184	\N	893.07	refunded	say "hi"	2024-03-26 12:12:52
1007	高涛	13518266553	\N	qiangli72@example.com	6222022626217342484	1999-02-02	117.136.97.148	868685380131986	\N	8139.71	paid	semi; colon, comma	2024-03-25 14:08:08
1008	徐丽伟	18138777644	230103196911274411	yan_zhang@example.cn	\N	\N	39.144.216.251	861112799838553	上海市浦东新区张杨路500号11层	7046.16	refunded	it's fine	2024-03-16 16:25:36
1009	吴明	13276397581	110105200304279098	xia_zhang@example.cn	6222027701967391679	\N	58.246.192.163	\N	浙江省杭州市西湖区文三路259号	4424.82	refunded	quote '' twice	2024-03-02 09:16:16
1010	刘丽	13005134153	\N	taozhou79@example.com	\N	\N	120.244.148.89	860558392356412	北京市朝阳区建国路93号院5号楼1单元1201	1777.83	new	back\\slash C:\\tmp\\new	2024-03-09 01:06:40
1011	何敏	15555610739	\N	\N	\N	1962-01-09	111.206.65.125	868160399629677	广东省深圳市南山区科技园路88号2栋301室	7949.70	shipped	tab\there	2024-03-05 08:05:16
1012	林丽洋	13828201210	\N	qiang_wu@example.com	\N	2004-06-02	117.136.144.181	\N	北京市朝阳区建国路93号院5号楼1单元1201	4430.30	shipped	tab\there	2024-03-26 08:46:32
1013	张杰杰	15235724132	230103198503021350	jiezhu26@corp.example.net	\N	1975-05-03	124.64.37.55	\N	广东省深圳市南山区科技园路88号2栋301室	4355.94	shipped	back\\slash C:\\tmp\\new	2024-03-16 05:20:39
1014	赵丽明	13828189765	\N	jiezhao7@example.cn	\N	\N	183.192.83.174	\N	\N	968.32	paid	say "hi"	2024-03-20 14:05:39
1015	陈静芳	17864038464	430104199205194550	hui_wang@corp.example.net	6222028754734899531	2004-12-19	114.247.242.107	\N	广东省深圳市南山区科技园路88号2栋301室	5705.41	shipped	tab\there	2024-03-16 11:20:17
1016	郭霞	15708831250	610113197806041542	na.zhang@mail.example.com	6222023242875361425	\N	124.64.77.61	868344728884720	浙江省杭州市西湖区文三路259号	186.75	paid	say "hi"	2024-03-27 18:25:29
1017	李辉	18034219715	530102199201085745	\N	\N	\N	101.86.249.191	\N	\N	4861.78	paid	say "hi"	2024-03-16 22:45:14
1018	徐洋	15691798914	\N	\N	\N	1999-10-15	183.192.71.71	\N	广东省深圳市南山区科技园路88号2栋301室	9289.82	new	tab\there	2024-03-10 01:25:21
1019	胡洋	19887760822	440106200203032558	fanghuang55@mail.example.com	6222020614746260411	\N	183.192.56.28	867502798965106	\N	7260.84	refunded	50% off_	2024-03-27 05:53:44
1020	马伟杰	18841366227	\N	tao.zhang@mail.example.com	6222022459068473384	1983-02-10	114.247.224.222	\N	\N	78.21	shipped	say "hi"	2024-03-28 07:28:04
1021	孙超辉	18900157262	\N	\N	6222029634314579241	1980-06-05	111.206.86.227	\N	浙江省杭州市西湖区文三路259号	3012.55	new	NULL-ish	2024-03-04 04:56:24
1022	孙芳	17812905623	370202200305099683	fangxu6@example.cn	\N	1982-11-14	36.112.176.229	868732428377518	北京市朝阳区建国路93号院5号楼1单元1201	5485.10	refunded	say "hi"	2024-03-28 02:50:39
1023	张丽	15893386293	\N	jingchen58@mail.example.com	\N	\N	60.191.113.243	\N	浙江省杭州市西湖区文三路259号	11.80	paid	semi; colon, comma	2024-03-21 19:49:36
1024	李洋	15631586794	110108199412179258	\N	6222028859658092334	1974-06-08	58.246.140.56	\N	广东省深圳市南山区科技园路88号2栋301室	7710.07	shipped	it's fine	2024-03-08 00:20:14
1025	赵杰辉	18845665584	440106196611185335	yanyang33@example.cn	\N	2000-01-06	111.206.49.179	864689754031842	\N	9600.63	shipped	tab\there	2024-03-23 03:17:05
1026	孙静杰	17687218498	\N	fangchen94@corp.example.net	\N	\N	183.192.196.131	\N	\N	3627.37	new	back\\slash C:\\tmp\\new	2024-03-20 07:07:12
1027	刘辉	13769408311	320102196801075054	jie_hu@corp.example.net	6222027608702093777	\N	114.247.219.104	\N	广东省深圳市南山区科技园路88号2栋301室	2749.33	new	quote '' twice	2024-03-19 21:25:54
1028	马涛婷	17817598271	\N	minma85@example.com	\N	\N	124.64.114.40	860581434898936	\N	1136.05	paid	NULL-ish	2024-03-28 14:30:18
1029	马静霞	13094659962	\N	\N	\N	\N	101.86.135.145	866292930124801	\N	3275.56	refunded	NULL-ish	2024-03-06 10:45:25
1030	朱磊	19983221525	320102198211048493	\N	\N	1996-04-15	124.64.234.157	\N	\N	1705.36	shipped	semi; colon, comma	2024-03-13 08:48:33
1031	杨磊军	17355901990	650102196303277741	xia_liu@mail.example.com	6222029964368306955	1982-03-18	58.246.13.129	\N	上海市浦东新区张杨路500号11层	4237.37	new	it's fine	2024-03-22 02:32:50
1032	张娜	18008650700	230103197602029724	min_zhou@corp.example.net	\N	1982-07-07	183.192.56.176	\N	\N	5465.45	paid	多行\n备注	2024-03-28 06:35:26
1033	王杰明	18904167491	140105195912058493	\N	\N	1973-07-25	223.104.26.26	\N	\N	2406.68	paid	it's fine	2024-03-24 08:12:05
1034	徐洋军	15601503961	\N	\N	6222029682050873229	1975-01-03	111.206.121.159	860853214171374	北京市朝阳区建国路93号院5号楼1单元1201	589.39	paid	50% off_	2024-03-15 11:33:36
1035	黄军娜	19937880058	\N	yan.yang@mail.example.com	\N	\N	223.104.75.225	\N	\N	1390.55	refunded	back\\slash C:\\tmp\\new	2024-03-14 15:22:21
1036	何超霞	18726650339	530102199805198601	qiangzhou94@example.org	6222029715157282884	\N	117.136.3.208	\N	\N	839.85	shipped	say "hi"	2024-03-06 08:07:27
1037	徐涛辉	19965732889	\N	huixu94@example.cn	\N	\N	114.247.62.113	864855982076400	浙江省杭州市西湖区文三路259号	1767.70	new	tab\there	2024-03-01 22:49:15
1038	孙磊丽	18344182376	140105196806040585	fang.zhu@example.cn	6222023629571838534	\N	60.191.241.140	\N	\N	3781.62	new	tab\there	2024-03-15 07:19:28
1039	胡丽	17692613560	11010519870508817X	jie_hu@mail.example.com	\N	2004-11-16	111.206.69.211	\N	\N	107.62	refunded	quote '' twice	2024-03-07 18:42:31
\.


INSERT INTO public.orders VALUES (202400000, 1000, '13817052307', '黄军', 8224.07);
INSERT INTO public.orders VALUES (202400001, 1001, '15572941895', '马娜娜', 6305.14);
INSERT INTO public.orders VALUES (202400002, 1002, '16670759317', '李强强', 757.51);
INSERT INTO public.orders VALUES (202400003, 1003, '19971690632', '徐丽芳', 8612.35);
INSERT INTO public.orders VALUES (202400004, 1004, '17707214753', '周超', 3213.16);
INSERT INTO public.orders VALUES (202400005, 1005, '19821758730', '李丽伟', 6873.72);
INSERT INTO public.orders VALUES (202400006, 1006, '13039619014', '胡军', 893.07);
INSERT INTO public.orders VALUES (202400007, 1007, '15182396101', '罗静洋', 8139.71);
INSERT INTO public.orders VALUES (202400008, 1008, '18813313630', '罗军', 7046.16);
INSERT INTO public.orders VALUES (202400009, 1009, '13038691716', '黄洋洋', 4424.82);
INSERT INTO public.orders VALUES (202400010, 1010, '18347030432', '吴霞', 1777.83);
INSERT INTO public.orders VALUES (202400011, 1011, '17686217179', '高伟婷', 7949.70);

ALTER TABLE ONLY public.customers ADD CONSTRAINT customers_pkey PRIMARY KEY (id);

--
-- PostgreSQL database dump complete
--
