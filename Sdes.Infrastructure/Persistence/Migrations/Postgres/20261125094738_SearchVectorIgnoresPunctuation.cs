using Microsoft.EntityFrameworkCore.Migrations;
using NpgsqlTypes;

#nullable disable

namespace Sdes.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SearchVectorIgnoresPunctuation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<NpgsqlTsVector>(
                name: "SearchVector",
                table: "CommunicationParties",
                type: "tsvector",
                nullable: true,
                computedColumnSql: "to_tsvector('simple', translate(\"SearchText\", '!\"#$%&''()*+,-./:;<=>?@[\\]^_`{|}~', '                                '))",
                stored: true,
                oldClrType: typeof(NpgsqlTsVector),
                oldType: "tsvector",
                oldNullable: true,
                oldComputedColumnSql: "to_tsvector('simple', \"SearchText\")",
                oldStored: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<NpgsqlTsVector>(
                name: "SearchVector",
                table: "CommunicationParties",
                type: "tsvector",
                nullable: true,
                computedColumnSql: "to_tsvector('simple', \"SearchText\")",
                stored: true,
                oldClrType: typeof(NpgsqlTsVector),
                oldType: "tsvector",
                oldNullable: true,
                oldComputedColumnSql: "to_tsvector('simple', translate(\"SearchText\", '!\"#$%&''()*+,-./:;<=>?@[\\]^_`{|}~', '                                '))",
                oldStored: true);
        }
    }
}
