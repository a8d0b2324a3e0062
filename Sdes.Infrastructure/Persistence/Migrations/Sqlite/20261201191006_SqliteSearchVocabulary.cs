using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sdes.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SqliteSearchVocabulary : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // How many rows hold each indexed word: lets a search choose between FTS5 and walking the queue (SqliteWordSearch).
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE IF NOT EXISTS "CommunicationPartySearchVocabulary" USING fts5vocab("CommunicationPartySearch", 'row');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE IF EXISTS \"CommunicationPartySearchVocabulary\";");
        }
    }
}
