-- The catalog administrator's list of service items tells, for each, how many authorizations in force
-- (帮办代办授权) name it — removing it from the list ends what they let an agent do for it; and an
-- authorization that names an item since removed shows the item's last published name.

CREATE INDEX agent_authorizations_items_idx ON agent_authorizations USING gin (service_item_codes) WHERE status = 'active';
CREATE INDEX published_service_items_code_idx ON published_service_items (code, version_number DESC);
