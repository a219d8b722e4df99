-- The council's local policy settings (003), chosen by an administrator: one row per setting, written the first
-- time an administrator changes it (a setting with no row has its default, the service's behaviour before any
-- choice). The version is bumped on every change, so two administrators cannot overwrite each other. Who changed
-- what, when, from what to what, is in the audit trail.
CREATE TABLE council_settings (
  key text PRIMARY KEY CHECK (key IN ('document-distribution', 'recording-copies')),
  value jsonb NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  updated_by uuid NOT NULL REFERENCES users (id),
  updated_at timestamptz NOT NULL
);
