using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using PerpGuard.Bot.Storage;

#nullable disable

namespace PerpGuard.Bot.Migrations
{
    /// <summary>
    /// Telegram: <c>ProcessedUpdates</c>, the update ids already handled (PK (Platform, UpdateId)), so an update Telegram
    /// redelivers after a restart is confirmed without running its command again.
    /// </summary>
    [DbContext(typeof(PerpGuardDbContext))]
    [Migration("20261122020000_ProcessedUpdates")]
    public partial class ProcessedUpdates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ProcessedUpdates",
                columns: table => new
                {
                    Platform = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    UpdateId = table.Column<long>(type: "INTEGER", nullable: false),
                    HandledAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProcessedUpdates", x => new { x.Platform, x.UpdateId });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(name: "ProcessedUpdates");
        }
    }
}
