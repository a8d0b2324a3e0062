using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sdes.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddAttachments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Status",
                table: "MessageAttachments",
                type: "TEXT",
                maxLength: 20,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "Attachments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Module = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Extension = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    SizeBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    UploadedByUserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UploadedByName = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    OrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UploadedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ScanDetail = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    ScannedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ScanAttempts = table.Column<int>(type: "INTEGER", nullable: false),
                    ScanErrors = table.Column<int>(type: "INTEGER", nullable: false),
                    NextScanAt = table.Column<long>(type: "INTEGER", nullable: true),
                    KeyId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    WrappedKey = table.Column<byte[]>(type: "BLOB", maxLength: 128, nullable: false),
                    OwnerId = table.Column<Guid>(type: "TEXT", nullable: true),
                    AttachedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ContentDestroyedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Attachments", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Attachments_KeyId",
                table: "Attachments",
                column: "KeyId");

            migrationBuilder.CreateIndex(
                name: "IX_Attachments_OwnerId_UploadedAt",
                table: "Attachments",
                columns: new[] { "OwnerId", "UploadedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Attachments_Status_NextScanAt",
                table: "Attachments",
                columns: new[] { "Status", "NextScanAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Attachments");

            migrationBuilder.DropColumn(
                name: "Status",
                table: "MessageAttachments");
        }
    }
}
