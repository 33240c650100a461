-- A code contribution's author match and risk flags are derived by the gate from the facts of its author (ContributionRefresh),
-- so code_contributions joins the tables whose rows need the gate's evaluation receipt at commit: a flag or verdict written
-- by raw SQL, a bulk update or another context is refused (docs/adr/0018-code-contribution-review.md).
CREATE CONSTRAINT TRIGGER code_contributions_require_evaluation_receipt
    AFTER INSERT OR UPDATE OR DELETE ON code_contributions
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION require_evaluation_receipt();
