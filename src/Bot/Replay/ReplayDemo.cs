using Microsoft.EntityFrameworkCore;
using PerpGuard.Bot.Channels.Console;
using PerpGuard.Bot.Storage;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Replay;

/// <summary>
/// A demonstration portfolio for a built-in scenario, added for the console user when they have no positions, so
/// the README's replay command shows alerts as the market plays: for <c>oct10-flush</c>, an 8x BTC long and a 15x ETH
/// long from before the flush (escalating distance alerts, reminders, the hit chance and cascade risk), a 3x
/// Hyperliquid BTC short that funding turns against after the flush, and a support rule at 118,000.
/// </summary>
public sealed class ReplayDemo
{
    private readonly Func<long, DateTimeOffset, Position[]> _positions;
    private readonly Func<long, DateTimeOffset, UserRule[]> _rules;

    private ReplayDemo(Func<long, DateTimeOffset, Position[]> positions, Func<long, DateTimeOffset, UserRule[]> rules)
    {
        _positions = positions;
        _rules = rules;
    }

    /// <summary>Label of the demo positions.</summary>
    public const string Label = "demo";

    /// <summary>The demo of a built-in scenario, or null (custom scenario files get none).</summary>
    public static ReplayDemo? For(string scenario) => scenario switch
    {
        "oct10-flush" => new ReplayDemo(
            (owner, at) =>
            [
                Linear(owner, at, Venue.Binance, "BTCUSDT", PositionSide.Long, 0.5, 121_000, 8),
                Linear(owner, at, Venue.Binance, "ETHUSDT", PositionSide.Long, 5, 4_380, 15),
                Linear(owner, at, Venue.Hyperliquid, "BTC", PositionSide.Short, 0.2, 121_800, 3),
            ],
            (owner, at) => [new UserRule { OwnerId = owner, Venue = Venue.Binance, Symbol = "BTCUSDT", Rule = "R3", Parameters = "level=118000", CreatedAt = at }]),
        _ => null,
    };

    /// <summary>Adds the demo for the console user unless they already track positions. Returns what was added.</summary>
    public async Task<(int Positions, int Rules)> SeedAsync(PerpGuardDbContext db, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Platform == ConsoleChannel.Platform && u.ExternalId == ConsoleChannel.LocalUser, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            user = new ChatUser { Platform = ConsoleChannel.Platform, ExternalId = ConsoleChannel.LocalUser, DisplayName = Environment.UserName, CreatedAt = at };
            db.Users.Add(user);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        if (await db.Positions.AnyAsync(p => p.OwnerId == user.Id, cancellationToken).ConfigureAwait(false)) return (0, 0);
        var positions = _positions(user.Id, at);
        var rules = await db.Rules.AnyAsync(r => r.OwnerId == user.Id, cancellationToken).ConfigureAwait(false) ? [] : _rules(user.Id, at);
        db.Positions.AddRange(positions);
        db.Rules.AddRange(rules);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return (positions.Length, rules.Length);
    }

    private static Position Linear(long owner, DateTimeOffset at, Venue venue, string symbol, PositionSide side, double qty, double entry, double leverage) => new()
    {
        OwnerId = owner, Venue = venue, Symbol = symbol, Contract = ContractType.Linear, MarginMode = MarginMode.Isolated, Side = side,
        Quantity = qty, Entry = entry, Leverage = leverage, Label = Label, CreatedAt = at, UpdatedAt = at,
    };
}
