using System;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using PerpGuard.Bot.Storage;

#nullable disable

namespace PerpGuard.Bot.Migrations
{
    /// <summary>
    /// The user's alert settings (the <see cref="ChatUser.Alerts"/> complex property). Existing users get the defaults of
    /// <see cref="Storage.AlertSettings"/>: levels 20/10/5/2%, hit chance 10%, funding share 5%, critical alerts in quiet hours, no quiet hours.
    /// </summary>
    [DbContext(typeof(PerpGuardDbContext))]
    [Migration("20261121100000_AlertSettings")]
    public partial class AlertSettings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "CriticalInQuietHours",
                table: "Users",
                type: "INTEGER",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<double>(
                name: "AlertFundingShare",
                table: "Users",
                type: "REAL",
                nullable: false,
                defaultValue: 0.05);

            migrationBuilder.AddColumn<double>(
                name: "AlertHitChance",
                table: "Users",
                type: "REAL",
                nullable: false,
                defaultValue: 0.1);

            migrationBuilder.AddColumn<string>(
                name: "AlertLevels",
                table: "Users",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "0.2;0.1;0.05;0.02");

            migrationBuilder.AddColumn<TimeOnly>(
                name: "QuietFrom",
                table: "Users",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<TimeOnly>(
                name: "QuietTo",
                table: "Users",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CriticalInQuietHours",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "AlertFundingShare",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "AlertHitChance",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "AlertLevels",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "QuietFrom",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "QuietTo",
                table: "Users");
        }
    }
}
