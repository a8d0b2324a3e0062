using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sdes.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddCommunications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Communications",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ReferenceNumber = table.Column<long>(type: "INTEGER", nullable: false),
                    ProcessId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Fuel = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    CurrentLevel = table.Column<int>(type: "INTEGER", nullable: false),
                    LevelStartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastMessageAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastMessageSide = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ArchivedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DeletedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AttachmentNames = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    BespokeData = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Communications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Communications_BusinessProcesses_ProcessId",
                        column: x => x.ProcessId,
                        principalTable: "BusinessProcesses",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "CommunicationEvents",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunicationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    OccurredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ActorUserId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ActorName = table.Column<string>(type: "TEXT", maxLength: 120, nullable: true),
                    ActorOrganisationId = table.Column<Guid>(type: "TEXT", nullable: true),
                    PrivateToOrganisationId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CommunicationEvents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CommunicationEvents_Communications_CommunicationId",
                        column: x => x.CommunicationId,
                        principalTable: "Communications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "CommunicationMessages",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CommunicationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AuthorUserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AuthorName = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    OrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Side = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CommunicationMessages", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CommunicationMessages_Communications_CommunicationId",
                        column: x => x.CommunicationId,
                        principalTable: "Communications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "CommunicationParties",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CommunicationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Side = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    OrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CounterpartyOrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Mpid = table.Column<string>(type: "TEXT", maxLength: 4, nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    OwnerUserId = table.Column<Guid>(type: "TEXT", nullable: true),
                    OwnerName = table.Column<string>(type: "TEXT", maxLength: 120, nullable: true),
                    Tags = table.Column<string>(type: "TEXT", maxLength: 410, nullable: false),
                    HasUnread = table.Column<bool>(type: "INTEGER", nullable: false),
                    LastViewedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ProcessId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ReferenceNumber = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastMessageAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ArchivedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CurrentLevel = table.Column<int>(type: "INTEGER", nullable: false),
                    LastMessageSentByThisSide = table.Column<bool>(type: "INTEGER", nullable: false),
                    SearchText = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CommunicationParties", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CommunicationParties_Communications_CommunicationId",
                        column: x => x.CommunicationId,
                        principalTable: "Communications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MessageAttachments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    MessageId = table.Column<Guid>(type: "TEXT", nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    SizeBytes = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MessageAttachments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MessageAttachments_CommunicationMessages_MessageId",
                        column: x => x.MessageId,
                        principalTable: "CommunicationMessages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CommunicationEvents_CommunicationId_OccurredAt",
                table: "CommunicationEvents",
                columns: new[] { "CommunicationId", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_CommunicationMessages_CommunicationId_SentAt",
                table: "CommunicationMessages",
                columns: new[] { "CommunicationId", "SentAt" });

            migrationBuilder.CreateIndex(
                name: "IX_CommunicationParties_CommunicationId_OrganisationId",
                table: "CommunicationParties",
                columns: new[] { "CommunicationId", "OrganisationId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CommunicationParties_CommunicationId_Side",
                table: "CommunicationParties",
                columns: new[] { "CommunicationId", "Side" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CommunicationParties_OrganisationId_OwnerUserId_Status_LastMessageAt",
                table: "CommunicationParties",
                columns: new[] { "OrganisationId", "OwnerUserId", "Status", "LastMessageAt" });

            migrationBuilder.CreateIndex(
                name: "IX_CommunicationParties_OrganisationId_ProcessId_Status_LastMessageAt",
                table: "CommunicationParties",
                columns: new[] { "OrganisationId", "ProcessId", "Status", "LastMessageAt" });

            migrationBuilder.CreateIndex(
                name: "IX_CommunicationParties_OrganisationId_ReferenceNumber",
                table: "CommunicationParties",
                columns: new[] { "OrganisationId", "ReferenceNumber" });

            migrationBuilder.CreateIndex(
                name: "IX_CommunicationParties_OrganisationId_Status_CreatedAt_Id",
                table: "CommunicationParties",
                columns: new[] { "OrganisationId", "Status", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_CommunicationParties_OrganisationId_Status_HasUnread",
                table: "CommunicationParties",
                columns: new[] { "OrganisationId", "Status", "HasUnread" });

            migrationBuilder.CreateIndex(
                name: "IX_CommunicationParties_OrganisationId_Status_LastMessageAt_Id",
                table: "CommunicationParties",
                columns: new[] { "OrganisationId", "Status", "LastMessageAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Communications_ProcessId",
                table: "Communications",
                column: "ProcessId");

            migrationBuilder.CreateIndex(
                name: "IX_Communications_ReferenceNumber",
                table: "Communications",
                column: "ReferenceNumber",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Communications_Status_ArchivedAt",
                table: "Communications",
                columns: new[] { "Status", "ArchivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Communications_Status_LastMessageAt",
                table: "Communications",
                columns: new[] { "Status", "LastMessageAt" });

            migrationBuilder.CreateIndex(
                name: "IX_MessageAttachments_MessageId",
                table: "MessageAttachments",
                column: "MessageId");

            // Full-text search (ADR 0006): an FTS5 index over CommunicationParties.SearchText, kept in step by triggers.
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "CommunicationPartySearch" USING fts5(
                    "SearchText", content='CommunicationParties', content_rowid='Id', tokenize='unicode61 remove_diacritics 2');
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "CommunicationParties_search_insert" AFTER INSERT ON "CommunicationParties" BEGIN
                    INSERT INTO "CommunicationPartySearch"(rowid, "SearchText") VALUES (new."Id", new."SearchText");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "CommunicationParties_search_delete" AFTER DELETE ON "CommunicationParties" BEGIN
                    INSERT INTO "CommunicationPartySearch"("CommunicationPartySearch", rowid, "SearchText") VALUES ('delete', old."Id", old."SearchText");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "CommunicationParties_search_update" AFTER UPDATE OF "SearchText" ON "CommunicationParties" BEGIN
                    INSERT INTO "CommunicationPartySearch"("CommunicationPartySearch", rowid, "SearchText") VALUES ('delete', old."Id", old."SearchText");
                    INSERT INTO "CommunicationPartySearch"(rowid, "SearchText") VALUES (new."Id", new."SearchText");
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"CommunicationParties_search_update\";");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"CommunicationParties_search_delete\";");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"CommunicationParties_search_insert\";");
            migrationBuilder.Sql("DROP TABLE IF EXISTS \"CommunicationPartySearch\";");

            migrationBuilder.DropTable(
                name: "CommunicationEvents");

            migrationBuilder.DropTable(
                name: "CommunicationParties");

            migrationBuilder.DropTable(
                name: "MessageAttachments");

            migrationBuilder.DropTable(
                name: "CommunicationMessages");

            migrationBuilder.DropTable(
                name: "Communications");
        }
    }
}
