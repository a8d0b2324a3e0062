using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;
using NpgsqlTypes;

#nullable disable

namespace Sdes.Infrastructure.Persistence.Migrations.Postgres
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ReferenceNumber = table.Column<long>(type: "bigint", nullable: false),
                    ProcessId = table.Column<Guid>(type: "uuid", nullable: false),
                    Fuel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Subject = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    CurrentLevel = table.Column<int>(type: "integer", nullable: false),
                    LevelStartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastMessageAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastMessageSide = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ArchivedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    DeletedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AttachmentNames = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    BespokeData = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false)
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CommunicationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    OccurredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ActorUserId = table.Column<Guid>(type: "uuid", nullable: true),
                    ActorName = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: true),
                    ActorOrganisationId = table.Column<Guid>(type: "uuid", nullable: true),
                    PrivateToOrganisationId = table.Column<Guid>(type: "uuid", nullable: true),
                    Detail = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true)
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    CommunicationId = table.Column<Guid>(type: "uuid", nullable: false),
                    AuthorUserId = table.Column<Guid>(type: "uuid", nullable: false),
                    AuthorName = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Side = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Text = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false),
                    SentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CommunicationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Side = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    OrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    CounterpartyOrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Mpid = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: false),
                    Role = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    OwnerUserId = table.Column<Guid>(type: "uuid", nullable: true),
                    OwnerName = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: true),
                    Tags = table.Column<string>(type: "character varying(410)", maxLength: 410, nullable: false),
                    HasUnread = table.Column<bool>(type: "boolean", nullable: false),
                    LastViewedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ProcessId = table.Column<Guid>(type: "uuid", nullable: false),
                    ReferenceNumber = table.Column<long>(type: "bigint", nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastMessageAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ArchivedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CurrentLevel = table.Column<int>(type: "integer", nullable: false),
                    LastMessageSentByThisSide = table.Column<bool>(type: "boolean", nullable: false),
                    SearchText = table.Column<string>(type: "text", nullable: false),
                    SearchVector = table.Column<NpgsqlTsVector>(type: "tsvector", nullable: true, computedColumnSql: "to_tsvector('simple', \"SearchText\")", stored: true)
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    MessageId = table.Column<Guid>(type: "uuid", nullable: false),
                    FileName = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    SizeBytes = table.Column<long>(type: "bigint", nullable: false)
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
                name: "IX_CommunicationParties_OrganisationId_OwnerUserId_Status_Last~",
                table: "CommunicationParties",
                columns: new[] { "OrganisationId", "OwnerUserId", "Status", "LastMessageAt" });

            migrationBuilder.CreateIndex(
                name: "IX_CommunicationParties_OrganisationId_ProcessId_Status_LastMe~",
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
                name: "IX_CommunicationParties_SearchVector",
                table: "CommunicationParties",
                column: "SearchVector")
                .Annotation("Npgsql:IndexMethod", "GIN");

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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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
