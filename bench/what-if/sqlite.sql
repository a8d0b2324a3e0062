-- Index changes proposed in bench/README.md, as the SQLite migration would create them. Applied by
-- `bench/run.sh --what-if` to a copy of the cached database (the migrations themselves are unchanged).

-- 1. The archived-unread badge ListAsync counts on every page: with ProcessId in the index the count is answered from
--    the index alone (SQLite: COVERING INDEX), instead of reading ~50,000 table rows to test ProcessId and HasUnread.
DROP INDEX "IX_CommunicationParties_OrganisationId_Status_HasUnread";
CREATE INDEX "IX_CommunicationParties_OrganisationId_Status_HasUnread_ProcessId"
    ON "CommunicationParties" ("OrganisationId", "Status", "HasUnread", "ProcessId");

-- 2. One counterparty: seek to it instead of walking the whole queue in date order until 26 rows match.
CREATE INDEX "IX_CommunicationParties_OrganisationId_CounterpartyOrganisationId_Status_LastMessageAt"
    ON "CommunicationParties" ("OrganisationId", "CounterpartyOrganisationId", "Status", "LastMessageAt");

-- 3. Search by reference: (OrganisationId, ReferenceNumber) is unique (the two parties are different organisations);
--    declared UNIQUE, SQLite's planner (which has no statistics: the app never runs ANALYZE) knows the equality yields
--    one row and stops preferring the date-ordered index that walks the whole queue.
DROP INDEX "IX_CommunicationParties_OrganisationId_ReferenceNumber";
CREATE UNIQUE INDEX "IX_CommunicationParties_OrganisationId_ReferenceNumber"
    ON "CommunicationParties" ("OrganisationId", "ReferenceNumber");
