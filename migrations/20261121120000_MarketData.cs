using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using PerpGuard.Bot.Storage;

#nullable disable

namespace PerpGuard.Bot.Migrations
{
    /// <summary>
    /// Market-data time series (tickers, spot tickers, open interest, order-book summaries, bars) and the symbols users
    /// watch. Each series is indexed on (Venue, Symbol, Time) for reads and on Time for retention.
    /// </summary>
    [DbContext(typeof(PerpGuardDbContext))]
    [Migration("20261121120000_MarketData")]
    public partial class MarketData : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Tickers",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Venue = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Symbol = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Time = table.Column<long>(type: "INTEGER", nullable: false),
                    Mark = table.Column<double>(type: "REAL", nullable: false),
                    Index = table.Column<double?>(type: "REAL", nullable: true),
                    Last = table.Column<double?>(type: "REAL", nullable: true),
                    FundingRate = table.Column<double?>(type: "REAL", nullable: true),
                    FundingIntervalHours = table.Column<double?>(type: "REAL", nullable: true),
                    NextFunding = table.Column<long?>(type: "INTEGER", nullable: true),
                    Volume24h = table.Column<double?>(type: "REAL", nullable: true),
                    QuoteVolume24h = table.Column<double?>(type: "REAL", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Tickers", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SpotTickers",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Venue = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Symbol = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    SpotSymbol = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Time = table.Column<long>(type: "INTEGER", nullable: false),
                    Price = table.Column<double>(type: "REAL", nullable: false),
                    QuoteVolume24h = table.Column<double?>(type: "REAL", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SpotTickers", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "OpenInterest",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Venue = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Symbol = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Time = table.Column<long>(type: "INTEGER", nullable: false),
                    Coins = table.Column<double>(type: "REAL", nullable: false),
                    Usd = table.Column<double>(type: "REAL", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OpenInterest", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "BookSummaries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Venue = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Symbol = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Time = table.Column<long>(type: "INTEGER", nullable: false),
                    BestBid = table.Column<double>(type: "REAL", nullable: false),
                    BestAsk = table.Column<double>(type: "REAL", nullable: false),
                    Bid05 = table.Column<double>(type: "REAL", nullable: false),
                    Bid1 = table.Column<double>(type: "REAL", nullable: false),
                    Bid2 = table.Column<double>(type: "REAL", nullable: false),
                    Bid3 = table.Column<double>(type: "REAL", nullable: false),
                    Bid5 = table.Column<double>(type: "REAL", nullable: false),
                    Ask05 = table.Column<double>(type: "REAL", nullable: false),
                    Ask1 = table.Column<double>(type: "REAL", nullable: false),
                    Ask2 = table.Column<double>(type: "REAL", nullable: false),
                    Ask3 = table.Column<double>(type: "REAL", nullable: false),
                    Ask5 = table.Column<double>(type: "REAL", nullable: false),
                    Reach = table.Column<double>(type: "REAL", nullable: false),
                    Levels = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BookSummaries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Bars",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Venue = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Symbol = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Market = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    IntervalSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                    OpenTime = table.Column<long>(type: "INTEGER", nullable: false),
                    Open = table.Column<double>(type: "REAL", nullable: false),
                    High = table.Column<double>(type: "REAL", nullable: false),
                    Low = table.Column<double>(type: "REAL", nullable: false),
                    Close = table.Column<double>(type: "REAL", nullable: false),
                    Volume = table.Column<double>(type: "REAL", nullable: false),
                    QuoteVolume = table.Column<double?>(type: "REAL", nullable: true),
                    TakerBuyVolume = table.Column<double?>(type: "REAL", nullable: true),
                    Closed = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Bars", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Watches",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OwnerId = table.Column<long>(type: "INTEGER", nullable: false),
                    Venue = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Symbol = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Watches", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Watches_Users_OwnerId",
                        column: x => x.OwnerId,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Tickers_Venue_Symbol_Time",
                table: "Tickers",
                columns: ["Venue", "Symbol", "Time"]);

            migrationBuilder.CreateIndex(
                name: "IX_Tickers_Time",
                table: "Tickers",
                column: "Time");

            migrationBuilder.CreateIndex(
                name: "IX_SpotTickers_Venue_Symbol_Time",
                table: "SpotTickers",
                columns: ["Venue", "Symbol", "Time"]);

            migrationBuilder.CreateIndex(
                name: "IX_SpotTickers_Time",
                table: "SpotTickers",
                column: "Time");

            migrationBuilder.CreateIndex(
                name: "IX_OpenInterest_Venue_Symbol_Time",
                table: "OpenInterest",
                columns: ["Venue", "Symbol", "Time"],
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OpenInterest_Time",
                table: "OpenInterest",
                column: "Time");

            migrationBuilder.CreateIndex(
                name: "IX_BookSummaries_Venue_Symbol_Time",
                table: "BookSummaries",
                columns: ["Venue", "Symbol", "Time"]);

            migrationBuilder.CreateIndex(
                name: "IX_BookSummaries_Time",
                table: "BookSummaries",
                column: "Time");

            migrationBuilder.CreateIndex(
                name: "IX_Bars_Venue_Symbol_Market_IntervalSeconds_OpenTime",
                table: "Bars",
                columns: ["Venue", "Symbol", "Market", "IntervalSeconds", "OpenTime"],
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Bars_OpenTime",
                table: "Bars",
                column: "OpenTime");

            migrationBuilder.CreateIndex(
                name: "IX_Watches_OwnerId_Venue_Symbol",
                table: "Watches",
                columns: ["OwnerId", "Venue", "Symbol"],
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Tickers");

            migrationBuilder.DropTable(
                name: "SpotTickers");

            migrationBuilder.DropTable(
                name: "OpenInterest");

            migrationBuilder.DropTable(
                name: "BookSummaries");

            migrationBuilder.DropTable(
                name: "Bars");

            migrationBuilder.DropTable(
                name: "Watches");
        }
    }
}
