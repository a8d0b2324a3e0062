using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sdes.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class TuneQueueIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_CommunicationParties_OrganisationId_ReferenceNumber",
                table: "CommunicationParties");

            migrationBuilder.DropIndex(
                name: "IX_CommunicationParties_OrganisationId_Status_HasUnread",
                table: "CommunicationParties");

            migrationBuilder.CreateIndex(
                name: "IX_CommunicationParties_OrganisationId_CounterpartyOrganisationId_Status_LastMessageAt",
                table: "CommunicationParties",
                columns: new[] { "OrganisationId", "CounterpartyOrganisationId", "Status", "LastMessageAt" });

            migrationBuilder.CreateIndex(
                name: "IX_CommunicationParties_OrganisationId_ReferenceNumber",
                table: "CommunicationParties",
                columns: new[] { "OrganisationId", "ReferenceNumber" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CommunicationParties_OrganisationId_Status_HasUnread_ProcessId",
                table: "CommunicationParties",
                columns: new[] { "OrganisationId", "Status", "HasUnread", "ProcessId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_CommunicationParties_OrganisationId_CounterpartyOrganisationId_Status_LastMessageAt",
                table: "CommunicationParties");

            migrationBuilder.DropIndex(
                name: "IX_CommunicationParties_OrganisationId_ReferenceNumber",
                table: "CommunicationParties");

            migrationBuilder.DropIndex(
                name: "IX_CommunicationParties_OrganisationId_Status_HasUnread_ProcessId",
                table: "CommunicationParties");

            migrationBuilder.CreateIndex(
                name: "IX_CommunicationParties_OrganisationId_ReferenceNumber",
                table: "CommunicationParties",
                columns: new[] { "OrganisationId", "ReferenceNumber" });

            migrationBuilder.CreateIndex(
                name: "IX_CommunicationParties_OrganisationId_Status_HasUnread",
                table: "CommunicationParties",
                columns: new[] { "OrganisationId", "Status", "HasUnread" });
        }
    }
}
