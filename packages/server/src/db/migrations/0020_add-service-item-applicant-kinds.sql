-- 服务对象: who may apply for a service item — 自然人 (person), 法人 (enterprise) or both. Filing
-- refuses an applicant of another kind (APPLICATION.WRONG_APPLICANT_KIND), and each published
-- version records it with the item.

-- Well-known services by their name, with their real 服务对象 (the demo catalog's items; the
-- same as packages/server/src/seed/demo-catalog.ts). Any other existing item keeps accepting
-- both kinds, as before this migration, until the catalog owner narrows it.
CREATE TEMPORARY TABLE known_applicant_kinds (name text PRIMARY KEY, kinds text[] NOT NULL) ON COMMIT DROP;
INSERT INTO known_applicant_kinds (name, kinds) VALUES
  ('户口迁移登记', '{person}'), ('居民身份证申领', '{person}'), ('结婚登记', '{person}'), ('最低生活保障申请', '{person}'),
  ('临时救助申请', '{person}'), ('失业登记', '{person}'), ('企业职工基本养老保险退休申请', '{person}'), ('社会保障卡申领', '{person}'),
  ('新生儿出生登记', '{person}'), ('生育登记', '{person}'), ('公共租赁住房申请', '{person}'), ('住房公积金提取', '{person}'),
  ('不动产转移登记', '{person,enterprise}'), ('企业设立登记', '{enterprise}'), ('食品经营许可', '{enterprise}'), ('教师资格认定', '{person}'),
  ('义务教育入学登记', '{person}'), ('残疾人两项补贴申请', '{person}'), ('退役军人优待证申领', '{person}'), ('门诊慢特病待遇认定', '{person}'),
  ('犬只登记', '{person,enterprise}'), ('企业纳税信用评价复评', '{enterprise}'), ('职业资格证书补发', '{person}'), ('死亡人员户口注销', '{person}');

ALTER TABLE service_items ADD COLUMN applicant_kinds text[] NOT NULL DEFAULT '{person,enterprise}'
  CONSTRAINT service_items_applicant_kinds_check CHECK (cardinality(applicant_kinds) > 0 AND applicant_kinds <@ ARRAY['person', 'enterprise']::text[]);
UPDATE service_items s SET applicant_kinds = k.kinds FROM known_applicant_kinds k WHERE k.name = s.name;
-- new items say whom they serve
ALTER TABLE service_items ALTER COLUMN applicant_kinds DROP DEFAULT;
COMMENT ON COLUMN service_items.applicant_kinds IS '服务对象: who may apply — person (自然人), enterprise (法人) or both; an applicant of another kind is refused (APPLICATION.WRONG_APPLICANT_KIND)';

-- The published versions record it too. Versions published before this migration did not:
-- they take the item's current value (an item since removed: its well-known value, else both).
-- Their content digest was computed without it and stays as it was.
ALTER TABLE published_service_items ADD COLUMN applicant_kinds text[] NOT NULL DEFAULT '{person,enterprise}'
  CONSTRAINT published_service_items_applicant_kinds_check CHECK (cardinality(applicant_kinds) > 0 AND applicant_kinds <@ ARRAY['person', 'enterprise']::text[]);
ALTER TABLE published_service_items DISABLE TRIGGER published_service_items_immutable;
UPDATE published_service_items p SET applicant_kinds = k.kinds FROM known_applicant_kinds k WHERE k.name = p.name;
UPDATE published_service_items p SET applicant_kinds = s.applicant_kinds FROM service_items s WHERE s.code = p.code;
ALTER TABLE published_service_items ENABLE TRIGGER published_service_items_immutable;
ALTER TABLE published_service_items ALTER COLUMN applicant_kinds DROP DEFAULT;
COMMENT ON COLUMN published_service_items.applicant_kinds IS '服务对象 in this version (person, enterprise); versions published before migration 0020 were backfilled from the items as they were then, outside their content digest';
