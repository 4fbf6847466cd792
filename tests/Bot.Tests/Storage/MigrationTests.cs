using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using PerpGuard.Bot.Storage;
using PerpGuard.Core.Venues;
using static PerpGuard.Bot.Tests.Storage.TempDatabase;

namespace PerpGuard.Bot.Tests.Storage;

/// <summary><see cref="DatabaseMigrator"/> on real SQLite files: fresh, again, upgrading a database that has data, and back down.</summary>
public sealed class MigrationTests : IDisposable
{
    private static readonly DateTimeOffset Created = new(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task AMigrationLockLeftByAKilledProcess_IsRemoved_WhenStale_AndAnUpToDateDatabaseTakesNoLock()
    {
        // A process killed while migrating leaves EF's lock row behind (it is in the file); without care every later
        // start waits for it forever.
        await _db.MigrateToAsync(RulesMigration);
        using (var c = _db.Open())
        {
            using var lockRow = c.CreateCommand();
            lockRow.CommandText = $"CREATE TABLE IF NOT EXISTS \"__EFMigrationsLock\" (\"Id\" INTEGER NOT NULL PRIMARY KEY, \"Timestamp\" TEXT NOT NULL); " +
                $"INSERT INTO \"__EFMigrationsLock\" VALUES (1, '{DateTimeOffset.UtcNow.AddMinutes(-5):O}')";
            lockRow.ExecuteNonQuery();
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var applied = await _db.Services().GetRequiredService<DatabaseMigrator>().MigrateAsync(timeout.Token);
        Assert.Equal([AlertsMigration, ProcessedUpdatesMigration], applied);
        using (var c = _db.Open()) Assert.Equal("0", SqliteSchema.Scalar(c, "SELECT COUNT(*) FROM __EFMigrationsLock"));

        // Up to date: no MigrateAsync, so no lock is taken at all (a kill at startup cannot leave one).
        using (var c = _db.Open())
        {
            using var lockRow = c.CreateCommand();
            lockRow.CommandText = $"INSERT INTO \"__EFMigrationsLock\" VALUES (1, '{DateTimeOffset.UtcNow:O}')";
            lockRow.ExecuteNonQuery();
        }
        Assert.Empty(await _db.Services().GetRequiredService<DatabaseMigrator>().MigrateAsync(timeout.Token));
    }

    [Fact]
    public async Task MigrateAsync_OnEmptyDirectory_CreatesTheDatabase()
    {
        Assert.False(Directory.Exists(Path.GetDirectoryName(_db.FilePath)));

        var applied = await _db.MigrateAsync();

        Assert.Equal([InitialMigration, AlertSettingsMigration, MarketDataMigration, RulesMigration, AlertsMigration, ProcessedUpdatesMigration], applied);
        Assert.True(File.Exists(_db.FilePath));
        using var c = _db.Open();
        Assert.Equal([InitialMigration, AlertSettingsMigration, MarketDataMigration, RulesMigration, AlertsMigration, ProcessedUpdatesMigration], SqliteSchema.Strings(c, "SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId"));
        Assert.Equal(["AlertStates", "Alerts", "Bars", "BookSummaries", "MutedSymbols", "OpenInterest", "Positions", "ProcessedUpdates", "Rules", "SpotTickers", "Tickers", "Users", "Watches"], SqliteSchema.Tables(c));
        Assert.Equal("wal", SqliteSchema.Scalar(c, "PRAGMA journal_mode"));
        await using (_db.Scope(out var db))
        {
            Assert.Equal([InitialMigration, AlertSettingsMigration, MarketDataMigration, RulesMigration, AlertsMigration, ProcessedUpdatesMigration], await db.Database.GetAppliedMigrationsAsync());
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        }
    }

    [Fact]
    public async Task MigrateAsync_RunTwice_AppliesNothingAndChangesNothing()
    {
        await _db.MigrateAsync();
        await using (_db.Scope(out var db))
        {
            var user = new ChatUser { Platform = "telegram", ExternalId = "42", CreatedAt = Created };
            user.Positions.Add(new Position { Symbol = "BTCUSDT", Side = PositionSide.Long, Quantity = 0.5, Entry = 60_000, Leverage = 20, CreatedAt = Created, UpdatedAt = Created });
            db.Users.Add(user);
            await db.SaveChangesAsync();
        }
        using var c = _db.Open();
        var master = SqliteSchema.Master(c);
        var history = SqliteSchema.Dump(c, SqliteSchema.HistoryTable);
        var users = SqliteSchema.Dump(c, "Users");
        var positions = SqliteSchema.Dump(c, "Positions");

        var applied = await _db.MigrateAsync();

        Assert.Empty(applied);
        Assert.Equal(master, SqliteSchema.Master(c));
        Assert.Equal(history, SqliteSchema.Dump(c, SqliteSchema.HistoryTable));
        Assert.Single(users);
        Assert.Equal(users, SqliteSchema.Dump(c, "Users"));
        Assert.Single(positions);
        Assert.Equal(positions, SqliteSchema.Dump(c, "Positions"));
        Assert.Equal("wal", SqliteSchema.Scalar(c, "PRAGMA journal_mode"));
    }

    [Fact]
    public async Task MigrateAsync_FromInitialWithData_KeepsTheRowsAndGivesUsersTheDefaultAlertSettings()
    {
        await _db.MigrateToAsync(InitialMigration);
        using var c = _db.Open();
        Assert.DoesNotContain("AlertLevels", SqliteSchema.Strings(c, "SELECT name FROM pragma_table_info('Users')"));
        var created = Created.ToUnixTimeMilliseconds();
        var muted = Created.AddDays(1).ToUnixTimeMilliseconds();
        SqliteSchema.Execute(c, """
            INSERT INTO Users (Id, Platform, ExternalId, DisplayName, TimeZone, DefaultVenue, MutedUntil, IsActive, CreatedAt)
            VALUES (7, 'telegram', '424242', 'Ada', 'Europe/Berlin', 'Okx', $muted, 1, $created);
            INSERT INTO Positions (Id, OwnerId, Venue, Symbol, Contract, MarginMode, Side, Quantity, Entry, Leverage, Margin, Wallet, Mmr, Label, CreatedAt, UpdatedAt)
            VALUES (11, 7, 'Binance', 'BTCUSDT', 'Linear', 'Isolated', 'Long', 0.5, 60000, 20, 1500, NULL, NULL, 'swing', $created, $created),
                   (12, 7, 'Okx', 'BTC-USD-SWAP', 'Inverse', 'Cross', 'Short', 100, 61000.5, NULL, NULL, 2.5, 0.004, NULL, $created, $muted);
            """, ("$created", created), ("$muted", muted));
        const string initialUserColumns = "SELECT Id, Platform, ExternalId, DisplayName, TimeZone, DefaultVenue, MutedUntil, IsActive, CreatedAt FROM Users";
        var users = SqliteSchema.Rows(c, initialUserColumns);
        var positions = SqliteSchema.Dump(c, "Positions");

        var applied = await _db.MigrateAsync();

        Assert.Equal([AlertSettingsMigration, MarketDataMigration, RulesMigration, AlertsMigration, ProcessedUpdatesMigration], applied);
        Assert.Equal(users, SqliteSchema.Rows(c, initialUserColumns));
        Assert.Equal(positions, SqliteSchema.Dump(c, "Positions"));
        Assert.Equal([["0.2;0.1;0.05;0.02", "0.1", "0.05", "1", "NULL", "NULL"]],
            SqliteSchema.Rows(c, "SELECT AlertLevels, AlertHitChance, AlertFundingShare, CriticalInQuietHours, QuietFrom, QuietTo FROM Users"));

        await using var scope = _db.Scope(out var db);
        var user = await db.Users.Include(u => u.Positions).SingleAsync();
        Assert.Equal(7, user.Id);
        Assert.Equal("Ada", user.DisplayName);
        Assert.Equal(Venue.Okx, user.DefaultVenue);
        Assert.Equal(Created.AddDays(1), user.MutedUntil);
        Assert.Equal([0.2, 0.1, 0.05, 0.02], user.Alerts.Levels);
        Assert.Equal(0.1, user.Alerts.HitChance);
        Assert.Equal(0.05, user.Alerts.FundingShare);
        Assert.True(user.Alerts.CriticalInQuietHours);
        Assert.Null(user.Alerts.QuietFrom);
        Assert.Null(user.Alerts.QuietTo);
        // The column defaults are the C# defaults: an upgraded user is indistinguishable from a new one.
        var fresh = new AlertSettings();
        Assert.Equal(fresh.Levels, user.Alerts.Levels);
        Assert.Equal(fresh.HitChance, user.Alerts.HitChance);
        Assert.Equal(fresh.FundingShare, user.Alerts.FundingShare);
        Assert.Equal(fresh.CriticalInQuietHours, user.Alerts.CriticalInQuietHours);
        Assert.Equal([11L, 12L], user.Positions.Select(p => p.Id).Order());
        var inverse = user.Positions.Single(p => p.Id == 12);
        Assert.Equal((Venue.Okx, "BTC-USD-SWAP", ContractType.Inverse, MarginMode.Cross, PositionSide.Short), (inverse.Venue, inverse.Symbol, inverse.Contract, inverse.MarginMode, inverse.Side));
        Assert.Equal((100.0, 61_000.5, (double?)null, 2.5, 0.004), (inverse.Quantity, inverse.Entry, inverse.Leverage, inverse.Wallet, inverse.Mmr));
        Assert.Equal(Created.AddDays(1), inverse.UpdatedAt);
    }

    [Fact]
    public async Task MigrateToInitial_FromLatest_DropsTheAlertColumnsAndKeepsUsersAndPositions()
    {
        await _db.MigrateAsync();
        await using (_db.Scope(out var db))
        {
            var user = new ChatUser { Platform = "discord", ExternalId = "1234", DisplayName = "Bo", CreatedAt = Created };
            user.Alerts.Levels = [0.3, 0.1];
            user.Positions.Add(new Position { Symbol = "ETHUSDT", Side = PositionSide.Short, Quantity = 3, Entry = 3_150, Leverage = 10, CreatedAt = Created, UpdatedAt = Created });
            db.Users.Add(user);
            await db.SaveChangesAsync();
        }
        using var c = _db.Open();
        const string initialUserColumns = "SELECT Id, Platform, ExternalId, DisplayName, TimeZone, DefaultVenue, MutedUntil, IsActive, CreatedAt FROM Users";
        var users = SqliteSchema.Rows(c, initialUserColumns);
        var positions = SqliteSchema.Dump(c, "Positions");

        await _db.MigrateToAsync(InitialMigration);

        Assert.Equal([InitialMigration], SqliteSchema.Strings(c, "SELECT MigrationId FROM __EFMigrationsHistory"));
        Assert.Equal(users, SqliteSchema.Rows(c, initialUserColumns));
        Assert.Equal(positions, SqliteSchema.Dump(c, "Positions"));
        Assert.Empty(SqliteSchema.Rows(c, "PRAGMA foreign_key_check"));
        using (var reference = new TempDatabase())
        {
            await reference.MigrateToAsync(InitialMigration);
            using var rc = reference.Open();
            Assert.Equal(SqliteSchema.Describe(rc), SqliteSchema.Describe(c));
        }

        // And up again: the custom levels are gone with their column, the defaults come back.
        Assert.Equal([AlertSettingsMigration, MarketDataMigration, RulesMigration, AlertsMigration, ProcessedUpdatesMigration], await _db.MigrateAsync());
        Assert.Equal(["0.2;0.1;0.05;0.02"], SqliteSchema.Strings(c, "SELECT AlertLevels FROM Users"));
        Assert.Equal(positions, SqliteSchema.Dump(c, "Positions"));
    }
}
