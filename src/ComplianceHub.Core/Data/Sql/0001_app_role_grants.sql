-- The application connects as compliancehub_app: data (DML) only, never DDL. It does not own any table,
-- so it cannot drop, alter or disable triggers on them. The role itself is created when the database is
-- provisioned (ComplianceHub.Cli provision, or the deployment); a migration only grants.
GRANT USAGE ON SCHEMA public TO compliancehub_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO compliancehub_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO compliancehub_app;

-- Tables created by later migrations (run by this same owner role) get the same grants; a table that must
-- be append-only (the audit trail, the evaluation receipts) revokes UPDATE and DELETE in its own script.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO compliancehub_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO compliancehub_app;

-- The migration history is the owner's business.
REVOKE ALL ON TABLE "__ef_migrations_history" FROM compliancehub_app;
