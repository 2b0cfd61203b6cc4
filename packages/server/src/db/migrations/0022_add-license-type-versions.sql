-- License types are versioned. Every registration or change of a type writes an immutable snapshot
-- of its definition under the next version number; each license records the version it was checked
-- against when issued, and is read (its fields, labels, which are disclosable) with that version.
-- Issuance holds the type row FOR SHARE while it stores a license and stores it only if the type is
-- still at the version it checked against (a data admin's change holds the row FOR UPDATE).

ALTER TABLE license_types ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version >= 1);
COMMENT ON COLUMN license_types.version IS 'current version of the definition; raised by every change (its snapshot is in license_type_versions)';

CREATE TABLE license_type_versions (
  type_code              text NOT NULL REFERENCES license_types(code),
  version                integer NOT NULL CHECK (version >= 1),
  name                   text NOT NULL,
  defining_agency_name   text NOT NULL,
  holder_kind            text NOT NULL CHECK (holder_kind IN ('111', '001')),
  fields                 jsonb NOT NULL,
  issuing_department_ids text[] NOT NULL,
  validity               jsonb NOT NULL,
  legal_basis            text NOT NULL,
  description            text NOT NULL,
  created_at             timestamptz NOT NULL DEFAULT now(),
  created_by             text,
  PRIMARY KEY (type_code, version)
);
COMMENT ON TABLE license_type_versions IS 'immutable snapshots of each license type definition; licenses.type_version names the one a license was issued against';
CREATE TRIGGER license_type_versions_append_only BEFORE UPDATE OR DELETE ON license_type_versions FOR EACH ROW EXECUTE FUNCTION forbid_mutation();

-- Types registered before this migration: their definition as it is now is version 1. Once a type
-- had licenses, its fields could only be relabelled or added as optional, so this snapshot reads
-- every earlier license of the type as the platform read it until now.
INSERT INTO license_type_versions (type_code, version, name, defining_agency_name, holder_kind, fields, issuing_department_ids, validity, legal_basis, description, created_at, created_by)
SELECT code, 1, name, defining_agency_name, holder_kind, fields, issuing_department_ids, validity, legal_basis, description, updated_at, NULL FROM license_types;

ALTER TABLE licenses ADD COLUMN type_version integer;
UPDATE licenses SET type_version = 1;
ALTER TABLE licenses ALTER COLUMN type_version SET NOT NULL;
ALTER TABLE licenses ADD CONSTRAINT licenses_type_version_fkey FOREIGN KEY (type_code, type_version) REFERENCES license_type_versions(type_code, version);
COMMENT ON COLUMN licenses.type_version IS 'the license type version the license was checked against and signed under; its fields are read with that version';
