using Microsoft.EntityFrameworkCore;
using PerpGuard.Bot.Storage;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Tests.Storage;

/// <summary>Entities saved through EF into the migrated database come back equal in a fresh context.</summary>
public sealed class RoundTripTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task SaveChanges_ThenAFreshContext_ReadsBackTheUserWithCustomAlertsAndEveryPositionField()
    {
        await _db.MigrateAsync();
        var created = new DateTimeOffset(2026, 11, 21, 9, 15, 30, 123, TimeSpan.Zero);
        // Stored as Unix milliseconds: the instant survives, the offset comes back as UTC (DateTimeOffset equality is by instant).
        var mutedUntil = new DateTimeOffset(2026, 11, 22, 7, 30, 0, 456, TimeSpan.FromHours(2));
        var user = new ChatUser
        {
            Platform = "telegram",
            ExternalId = "987654321",
            DisplayName = "Ada Lovelace",
            TimeZone = "Europe/Berlin",
            DefaultVenue = Venue.Hyperliquid,
            MutedUntil = mutedUntil,
            IsActive = false,
            CreatedAt = created,
            Alerts = new AlertSettings
            {
                Levels = [0.3, 0.15, 0.075, 0.01, 1e-3],
                HitChance = 0.25,
                FundingShare = 0.125,
                QuietFrom = new TimeOnly(22, 30),
                QuietTo = new TimeOnly(7, 15, 45),
                CriticalInQuietHours = false,
            },
        };
        var full = new Position
        {
            Venue = Venue.Bybit,
            Symbol = "ETHUSD",
            Contract = ContractType.Inverse,
            MarginMode = MarginMode.Cross,
            Side = PositionSide.Short,
            Quantity = 1_234.5,
            Entry = 3_150.25,
            Leverage = 12.5,
            Margin = 100.75,
            Wallet = 5_000.5,
            Mmr = 0.005,
            Label = "swing",
            CreatedAt = created,
            UpdatedAt = created.AddMinutes(5),
        };
        var bare = new Position { Venue = Venue.Okx, Symbol = "BTC-USDT-SWAP", Side = PositionSide.Long, Quantity = 0.01, Entry = 60_000, CreatedAt = created, UpdatedAt = created };
        user.Positions.Add(full);
        user.Positions.Add(bare);
        await using (_db.Scope(out var db))
        {
            db.Users.Add(user);
            await db.SaveChangesAsync();
        }
        Assert.True(user.Id > 0);
        Assert.True(full.Id > 0 && bare.Id > full.Id);

        ChatUser read;
        await using (_db.Scope(out var db))
            read = await db.Users.AsNoTracking().Include(u => u.Positions).SingleAsync(u => u.Platform == "telegram" && u.ExternalId == "987654321");

        Assert.Equal(
            (user.Id, "telegram", "987654321", "Ada Lovelace", "Europe/Berlin", Venue.Hyperliquid, false),
            (read.Id, read.Platform, read.ExternalId, read.DisplayName, read.TimeZone, read.DefaultVenue, read.IsActive));
        Assert.Equal(created, read.CreatedAt);
        Assert.Equal(mutedUntil, read.MutedUntil);
        Assert.Equal([0.3, 0.15, 0.075, 0.01, 1e-3], read.Alerts.Levels);
        Assert.Equal((0.25, 0.125, false), (read.Alerts.HitChance, read.Alerts.FundingShare, read.Alerts.CriticalInQuietHours));
        Assert.Equal(new TimeOnly(22, 30), read.Alerts.QuietFrom);
        Assert.Equal(new TimeOnly(7, 15, 45), read.Alerts.QuietTo);
        Assert.Equal(2, read.Positions.Count);
        AssertSame(full, read.Positions.Single(p => p.Id == full.Id));
        AssertSame(bare, read.Positions.Single(p => p.Id == bare.Id));

        // What the columns hold (the formats the migrations' column types must accept).
        using var c = _db.Open();
        Assert.Equal([["Hyperliquid", mutedUntil.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), "0.3;0.15;0.075;0.01;0.001", "22:30:00", "07:15:45"]],
            SqliteSchema.Rows(c, "SELECT DefaultVenue, MutedUntil, AlertLevels, QuietFrom, QuietTo FROM Users"));
    }

    private static void AssertSame(Position expected, Position actual)
    {
        Assert.Equal(expected.OwnerId, actual.OwnerId);
        Assert.Equal((expected.Venue, expected.Symbol, expected.Contract, expected.MarginMode, expected.Side),
            (actual.Venue, actual.Symbol, actual.Contract, actual.MarginMode, actual.Side));
        Assert.Equal((expected.Quantity, expected.Entry, expected.Leverage, expected.Margin, expected.Wallet, expected.Mmr),
            (actual.Quantity, actual.Entry, actual.Leverage, actual.Margin, actual.Wallet, actual.Mmr));
        Assert.Equal(expected.Label, actual.Label);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.UpdatedAt, actual.UpdatedAt);
    }
}
