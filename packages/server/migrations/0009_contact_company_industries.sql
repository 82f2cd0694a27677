-- "company.industry = Retail" on the contacts list: an EXISTS over contact_company and company per contact row
-- cannot use an index on a large base (the benchmark's first page took ~0.4 s on 1M contacts). Each contact keeps
-- the industries of its live companies, kept by triggers, so the filter is an array overlap served by a GIN index.
ALTER TABLE contact ADD COLUMN company_industries text[] NOT NULL DEFAULT '{}';

CREATE FUNCTION refresh_company_industries(ws uuid, contact_ids uuid[]) RETURNS void LANGUAGE sql AS $$
  UPDATE contact r SET company_industries = x.industries
  FROM (
    SELECT ids.id, coalesce((
      SELECT array_agg(DISTINCT c.industry ORDER BY c.industry)
      FROM contact_company cc JOIN company c ON c.workspace_id = cc.workspace_id AND c.id = cc.company_id
      WHERE cc.workspace_id = ws AND cc.contact_id = ids.id AND c.deleted_at IS NULL AND c.industry IS NOT NULL
    ), '{}') AS industries
    FROM unnest(contact_ids) AS ids(id)
  ) x
  WHERE r.workspace_id = ws AND r.id = x.id AND r.company_industries IS DISTINCT FROM x.industries;
$$;

-- Statement-level, so linking thousands of people at once (import, merge, bench data) is one UPDATE per workspace.
CREATE FUNCTION contact_company_industries_touch() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  affected record;
BEGIN
  IF TG_OP = 'INSERT' THEN
    FOR affected IN SELECT workspace_id, array_agg(DISTINCT contact_id) AS ids FROM changed_rows GROUP BY workspace_id LOOP
      PERFORM refresh_company_industries(affected.workspace_id, affected.ids);
    END LOOP;
  ELSIF TG_OP = 'DELETE' THEN
    FOR affected IN SELECT workspace_id, array_agg(DISTINCT contact_id) AS ids FROM removed_rows GROUP BY workspace_id LOOP
      PERFORM refresh_company_industries(affected.workspace_id, affected.ids);
    END LOOP;
  ELSE
    FOR affected IN SELECT workspace_id, array_agg(DISTINCT contact_id) AS ids FROM (SELECT workspace_id, contact_id FROM changed_rows UNION SELECT workspace_id, contact_id FROM removed_rows) u GROUP BY workspace_id LOOP
      PERFORM refresh_company_industries(affected.workspace_id, affected.ids);
    END LOOP;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER contact_company_industries_insert AFTER INSERT ON contact_company REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION contact_company_industries_touch();
CREATE TRIGGER contact_company_industries_delete AFTER DELETE ON contact_company REFERENCING OLD TABLE AS removed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION contact_company_industries_touch();
CREATE TRIGGER contact_company_industries_update AFTER UPDATE ON contact_company REFERENCING OLD TABLE AS removed_rows NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION contact_company_industries_touch();

-- A company's industry changing, or the company going to the recycle bin and back, changes its people's lists.
CREATE FUNCTION company_industries_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refresh_company_industries(NEW.workspace_id, ARRAY(SELECT contact_id FROM contact_company WHERE workspace_id = NEW.workspace_id AND company_id = NEW.id));
  RETURN NEW;
END
$$;
CREATE TRIGGER company_industries AFTER UPDATE OF industry, deleted_at ON company FOR EACH ROW
  WHEN (OLD.industry IS DISTINCT FROM NEW.industry OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at)
  EXECUTE FUNCTION company_industries_touch();

UPDATE contact r SET company_industries = x.industries FROM (
  SELECT cc.workspace_id, cc.contact_id, array_agg(DISTINCT c.industry ORDER BY c.industry) AS industries
  FROM contact_company cc JOIN company c ON c.workspace_id = cc.workspace_id AND c.id = cc.company_id
  WHERE c.deleted_at IS NULL AND c.industry IS NOT NULL
  GROUP BY cc.workspace_id, cc.contact_id
) x WHERE r.workspace_id = x.workspace_id AND r.id = x.contact_id;

CREATE INDEX contact_company_industries_idx ON contact USING gin (company_industries) WHERE deleted_at IS NULL;
