-- Index changes proposed in bench/README.md, as the PostgreSQL migration would create them (EF Core truncates names to
-- 63 characters with "~"). Applied by `bench/run.sh --what-if` to the freshly seeded database.

-- 1. The archived-unread badge ListAsync counts on every page: an index-only scan instead of ~12,000 heap pages.
DROP INDEX "IX_CommunicationParties_OrganisationId_Status_HasUnread";
CREATE INDEX "IX_CommunicationParties_OrganisationId_Status_HasUnread_Proces~"
    ON "CommunicationParties" ("OrganisationId", "Status", "HasUnread", "ProcessId");

-- 2. One counterparty: seek to it instead of walking the queue in date order until 26 rows match.
CREATE INDEX "IX_CommunicationParties_OrganisationId_CounterpartyOrganisatio~"
    ON "CommunicationParties" ("OrganisationId", "CounterpartyOrganisationId", "Status", "LastMessageAt");

-- 3. (OrganisationId, ReferenceNumber) is unique; same definition on every provider.
DROP INDEX "IX_CommunicationParties_OrganisationId_ReferenceNumber";
CREATE UNIQUE INDEX "IX_CommunicationParties_OrganisationId_ReferenceNumber"
    ON "CommunicationParties" ("OrganisationId", "ReferenceNumber");

-- 4. Text search: a GIN index on (OrganisationId, SearchVector) (btree_gin) instead of SearchVector alone. Every search
--    is within one organisation, and the plain GIN index made the planner AND its bitmap with a bitmap of the whole
--    queue (~130,000 entries from an (OrganisationId, Status) index) for rare words; this one matches within the
--    organisation directly. EF: HasPostgresExtension("btree_gin") and HasIndex(OrganisationId, SearchVector).HasMethod("GIN").
CREATE EXTENSION IF NOT EXISTS btree_gin;
SET maintenance_work_mem = '1GB';
DROP INDEX "IX_CommunicationParties_SearchVector";
CREATE INDEX "IX_CommunicationParties_OrganisationId_SearchVector"
    ON "CommunicationParties" USING GIN ("OrganisationId", "SearchVector");

VACUUM (ANALYZE) "CommunicationParties";
