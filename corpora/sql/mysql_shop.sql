-- MySQL dump 10.13  Distrib 8.0.35, for Linux (x86_64)
--
-- Host: localhost    Database: shop
-- ------------------------------------------------------
-- Server version	8.0.35

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!50503 SET NAMES utf8mb4 */;
/*!40103 SET TIME_ZONE='+00:00' */;

--
-- Table structure for table `customers`
--

DROP TABLE IF EXISTS `customers`;
CREATE TABLE `customers` (
  `id` bigint NOT NULL,
  `name` varchar(200) DEFAULT NULL COMMENT '收货人',
  `mobile` varchar(200) NOT NULL,
  `id_card` varchar(200) DEFAULT NULL,
  `email` varchar(200) DEFAULT NULL,
  `bank_card` varchar(200) DEFAULT NULL,
  `birthday` varchar(200) DEFAULT NULL,
  `reg_ip` varchar(200) DEFAULT NULL,
  `device_imei` varchar(200) DEFAULT NULL,
  `address` varchar(400) DEFAULT NULL,
  `amount` decimal(10,2) NOT NULL DEFAULT '0.00',
  `status` varchar(16) NOT NULL,
  `note` varchar(200) DEFAULT NULL,
  `created_at` datetime NOT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_mobile` (`mobile`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

--
-- Dumping data for table `customers`
--

LOCK TABLES `customers` WRITE;
/*!40000 ALTER TABLE `customers` DISABLE KEYS */;
INSERT INTO `customers` VALUES (1000,'陈军静','15718564206','520102199507035626','ming.zhu@example.org',NULL,'1993-05-24','39.144.213.41','866368348516745',NULL,5971.52,'paid','','2024-03-22 11:35:51'),(1001,'黄敏','17747319507','50010319930514777X','wei.zhou@corp.example.net',NULL,'1987-11-24','114.247.254.119',NULL,'广东省深圳市南山区科技园路88号2栋301室',3258.03,'new','say "hi"','2024-03-21 13:59:11'),(1002,'刘辉杰','18640530458',NULL,'fang_zhou@example.org','6222029845477572712','2002-01-01','39.144.35.196',NULL,NULL,3492.51,'refunded','50% off_','2024-03-14 20:05:02'),(1003,'周芳','13162020614',NULL,NULL,NULL,NULL,'117.136.219.183',NULL,NULL,8584.81,'shipped','NULL-ish','2024-03-07 10:29:24'),(1004,'陈明伟','13007365793','610113196011232850','wei_wang@example.com',NULL,'1971-02-02','124.64.25.75',NULL,NULL,6005.50,'refunded','tab\there','2024-03-16 04:38:37'),(1005,'刘伟丽','18631488277','420106198202208220','yanxu52@example.com',NULL,'1968-10-08','60.191.51.53','869084751491105',NULL,3760.22,'new','say "hi"','2024-03-09 04:40:04'),(1006,'罗洋军','15785217689',NULL,'chaozhou76@example.cn',NULL,NULL,'39.144.39.190','864006557691369','浙江省杭州市西湖区文三路259号',3953.26,'new','多行\n备注','2024-03-08 09:15:00'),(1007,'朱涛明','13042867689','110108196804161934','lei_ma@example.com','6222023408305229637','1968-06-09','111.206.144.112',NULL,NULL,6245.16,'new','quote \'\' twice','2024-03-04 16:38:34');
INSERT INTO `customers` VALUES (1008,'胡敏','18528954083',NULL,NULL,NULL,'1987-03-28','223.104.69.27','862677452662168',NULL,4352.87,'refunded','semi; colon, comma','2024-03-10 20:14:55'),(1009,'刘洋军','15291459821','330106198605108273','xia_sun@mail.example.com','6222021895901413130','2004-12-09','101.86.173.2','863769914566431',NULL,7610.80,'shipped','back\\slash C:\\tmp\\new','2024-03-03 23:56:15'),(1010,'张磊超','18804615870',NULL,'jingma72@example.cn',NULL,'1974-02-27','58.246.130.41',NULL,NULL,5273.58,'paid','semi; colon, comma','2024-03-21 13:06:29'),(1011,'王芳芳','13856260016','32010219960621602X','xiawang42@corp.example.net',NULL,'2001-03-22','117.136.167.241',NULL,'浙江省杭州市西湖区文三路259号',9489.93,'paid','','2024-03-22 23:09:14'),(1012,'徐静霞','18289089318',NULL,NULL,'6222020439912148574',NULL,'101.86.113.223','863910547754164',NULL,2912.93,'paid','back\\slash C:\\tmp\\new','2024-03-08 15:38:31'),(1013,'郭超伟','17337798117','52010219980805226X','mingwu36@example.com',NULL,NULL,'223.104.101.191','864972628117959','广东省深圳市南山区科技园路88号2栋301室',4338.08,'new','back\\slash C:\\tmp\\new','2024-03-24 10:25:30'),(1014,'高芳','19949055812',NULL,NULL,NULL,NULL,'117.136.156.205','862725675175623','浙江省杭州市西湖区文三路259号',3938.32,'shipped','50% off_','2024-03-23 01:46:34'),(1015,'胡婷','13762466998',NULL,'nawang22@corp.example.net','6222027623900209612',NULL,'117.136.96.192','869195430935799','上海市浦东新区张杨路500号11层',3882.83,'new','back\\slash C:\\tmp\\new','2024-03-14 22:18:40');
INSERT INTO `customers` VALUES (1016,'赵涛','15789657731','110108196303080589','hui_zhang@example.com',NULL,NULL,'114.247.29.154','865812539171787',NULL,2712.04,'shipped','say "hi"','2024-03-08 03:27:22'),(1017,'林婷丽','17741391097','130102199910149997',NULL,NULL,'1977-04-05','39.144.61.141',NULL,NULL,4084.48,'paid','NULL-ish','2024-03-25 09:15:09'),(1018,'高伟杰','15833671808','320102195801268361',NULL,NULL,NULL,'36.112.108.230',NULL,NULL,1447.54,'shipped','多行\n备注','2024-03-05 09:22:41'),(1019,'刘辉杰','15838821831',NULL,'ming_sun@example.cn','6222021492672553243',NULL,'120.244.251.74','866971383805178',NULL,4397.85,'paid','NULL-ish','2024-03-07 23:28:30'),(1020,'刘杰涛','15677029519','110105200401041284','jiema86@example.com',NULL,NULL,'114.247.63.110','869843044192261','广东省深圳市南山区科技园路88号2栋301室',7893.28,'refunded','多行\n备注','2024-03-16 19:55:18'),(1021,'刘娜','13631958517',NULL,NULL,'6222027362958083757',NULL,'36.112.124.133','860665435532980',NULL,2272.54,'shipped','','2024-03-23 08:15:02'),(1022,'孙辉','16637606535','530102198202160626','jing.wang@example.cn',NULL,NULL,'101.86.13.69','861488994001092','浙江省杭州市西湖区文三路259号',2780.74,'refunded','tab\there','2024-03-02 21:17:38'),(1023,'赵敏伟','18282309211',NULL,'qiang_huang@example.cn',NULL,NULL,'111.206.194.204',NULL,'上海市浦东新区张杨路500号11层',1961.94,'new','semi; colon, comma','2024-03-10 05:24:56');
INSERT INTO `customers` VALUES (1024,'罗超','17678997896',NULL,'lei.wu@example.org','6222027034484626918',NULL,'60.191.20.38',NULL,NULL,189.19,'new','say "hi"','2024-03-14 02:46:38'),(1025,'王娜军','13616007121','430104197611125981',NULL,NULL,NULL,'111.206.86.38','866041959412559',NULL,4085.80,'refunded','say "hi"','2024-03-23 11:45:14'),(1026,'吴婷磊','16652232246','520102197002082815','huima5@example.cn','6222029062588233503',NULL,'183.192.22.44','867180906711116','浙江省杭州市西湖区文三路259号',4238.37,'new','NULL-ish','2024-03-10 09:02:45'),(1027,'王超艳','19973288502','440106199411095312','yan.liu@example.com',NULL,NULL,'114.247.113.198',NULL,NULL,7238.38,'refunded','it\'s fine','2024-03-20 14:47:38'),(1028,'赵艳明','13317897774','140105197202224433',NULL,'6222020225953714394',NULL,'58.246.183.112',NULL,'上海市浦东新区张杨路500号11层',4717.71,'refunded','NULL-ish','2024-03-09 09:16:40'),(1029,'陈丽','15815147716',NULL,'fang.li@mail.example.com','6222023073780946673','1977-09-21','111.206.81.91','863452922743660',NULL,3228.72,'paid','','2024-03-01 18:16:45'),(1030,'孙辉','13706431424','370202195905194445','lei.wang@example.cn','6222020903020872060','1976-04-26','111.206.254.251',NULL,NULL,9788.56,'refunded','semi; colon, comma','2024-03-06 17:40:33'),(1031,'高霞杰','17779492513','530102198101029477',NULL,'6222028108819365753',NULL,'36.112.86.112',NULL,NULL,163.56,'new','back\\slash C:\\tmp\\new','2024-03-02 22:56:55');
INSERT INTO `customers` VALUES (1032,'黄丽','17317783742',NULL,'yan_zhu@mail.example.com','6222023984590273795',NULL,'60.191.215.189','865672970540324',NULL,4031.08,'shipped','NULL-ish','2024-03-19 01:05:48'),(1033,'李超','17840018844','440305197504032615',NULL,'6222023812706116402',NULL,'111.206.125.101','865144221760069',NULL,2914.30,'new','','2024-03-22 16:13:18'),(1034,'马明敏','13261999536','110108196309273154','qiangwu73@example.org','6222029110314135870',NULL,'183.192.100.58','866680179923299',NULL,7319.47,'new','back\\slash C:\\tmp\\new','2024-03-01 04:22:50');
INSERT INTO `customers` (`id`,`name`,`mobile`,`id_card`,`email`,`bank_card`,`birthday`,`reg_ip`,`device_imei`,`address`,`amount`,`status`,`note`,`created_at`) VALUES (1035,'郭超','13636777699','610113195808288515','ming_zhang@example.org','6222020904250346551','1976-03-25','124.64.162.100',NULL,NULL,9507.81,'refunded','quote \'\' twice','2024-03-04 18:26:55'),(1036,'刘霞丽','17860978191',NULL,'jieliu92@mail.example.com',NULL,'1981-07-09','60.191.61.182','861624257154430','北京市朝阳区建国路93号院5号楼1单元1201',1283.80,'refunded','tab\there','2024-03-10 08:05:20'),(1037,'林强','19880461342','330106198803037242','qiangwang85@example.cn',NULL,'1966-11-15','60.191.73.247',NULL,'上海市浦东新区张杨路500号11层',6471.87,'paid','quote \'\' twice','2024-03-17 11:44:27'),(1038,'徐艳艳','17790963157',NULL,NULL,NULL,'1971-10-23','60.191.97.78',NULL,'北京市朝阳区建国路93号院5号楼1单元1201',1023.91,'paid','tab\there','2024-03-25 22:24:56'),(1039,'林丽磊','18899921591','110105199406172886','hui.zhou@example.com','6222029668789961781',NULL,'120.244.96.188','867211847265589',NULL,8535.02,'refunded','NULL-ish','2024-03-15 15:38:23');
/*!40000 ALTER TABLE `customers` ENABLE KEYS */;
UNLOCK TABLES;

-- Dump completed on 2024-04-01 10:00:00
