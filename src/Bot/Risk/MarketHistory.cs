using Microsoft.EntityFrameworkCore;
using PerpGuard.Bot.Storage;
using PerpGuard.Core.Market;

namespace PerpGuard.Bot.Risk;

/// <summary>One symbol's stored series over a window, ascending in time, as Core's records.</summary>
/// <param name="Key">Venue and symbol.</param>
/// <param name="Perp">Closed perp candles.</param>
/// <param name="Spot">Closed spot candles (empty when the venue has no spot pair stored).</param>
/// <param name="OpenInterest">Open-interest points.</param>
/// <param name="Tickers">Tickers (mark, index, funding).</param>
public sealed record SymbolHistory(MarketKey Key, IReadOnlyList<Bar> Perp, IReadOnlyList<Bar> Spot,
    IReadOnlyList<OpenInterestPoint> OpenInterest, IReadOnlyList<Ticker> Tickers)
{
    /// <summary>
    /// Each closed perp candle with the open interest in coins at its close (the latest point at or before it). Candles
    /// before the first open-interest point are left out: the map cannot tell what they opened.
    /// </summary>
    public static IEnumerable<(Bar Bar, double OpenInterestCoins)> WithOpenInterest(IReadOnlyList<Bar> bars, IReadOnlyList<OpenInterestPoint> oi)
    {
        ArgumentNullException.ThrowIfNull(bars);
        ArgumentNullException.ThrowIfNull(oi);
        var j = -1;
        foreach (var bar in bars)
        {
            while (j + 1 < oi.Count && oi[j + 1].Time <= bar.CloseTime) j++;
            if (j >= 0) yield return (bar, oi[j].Coins);
        }
    }

    /// <summary>USD traded in perp candles that closed within <paramref name="window"/> before <paramref name="asOf"/> (every trade has a taker: this is taker volume).</summary>
    public static double QuoteVolume(IReadOnlyList<Bar> bars, DateTimeOffset asOf, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(bars);
        double sum = 0;
        for (var i = bars.Count - 1; i >= 0 && bars[i].CloseTime > asOf - window; i--)
        {
            var b = bars[i];
            if (b.CloseTime > asOf) continue;
            sum += double.IsFinite(b.QuoteVolume) ? b.QuoteVolume : b.Volume * b.Close;
        }
        return sum;
    }
}

/// <summary>Reads stored market series for the risk views (cluster map, cascade, rules).</summary>
public static class MarketHistory
{
    /// <summary>Closed perp candles opened at or after <paramref name="from"/> and closed by <paramref name="to"/>.</summary>
    public static async Task<List<Bar>> BarsAsync(PerpGuardDbContext db, MarketKey key, MarketKind market, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await db.Bars.AsNoTracking()
            .Where(b => b.Venue == key.Venue && b.Symbol == key.Symbol && b.Market == market && b.Closed && b.OpenTime >= from && b.OpenTime <= to)
            .OrderBy(b => b.OpenTime)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToBar()).Where(b => b.CloseTime <= to)];
    }

    /// <summary>Open-interest points stamped in [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public static async Task<List<OpenInterestPoint>> OpenInterestAsync(PerpGuardDbContext db, MarketKey key, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await db.OpenInterest.AsNoTracking()
            .Where(o => o.Venue == key.Venue && o.Symbol == key.Symbol && o.Time >= from && o.Time <= to)
            .OrderBy(o => o.Time)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(o => new OpenInterestPoint(o.Time, o.Coins, o.Usd))];
    }

    /// <summary>Every series of one symbol over [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public static async Task<SymbolHistory> LoadAsync(PerpGuardDbContext db, MarketKey key, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var perp = await BarsAsync(db, key, MarketKind.Perp, from, to, cancellationToken).ConfigureAwait(false);
        var spot = await BarsAsync(db, key, MarketKind.Spot, from, to, cancellationToken).ConfigureAwait(false);
        var oi = await OpenInterestAsync(db, key, from, to, cancellationToken).ConfigureAwait(false);
        var tickers = await db.Tickers.AsNoTracking()
            .Where(t => t.Venue == key.Venue && t.Symbol == key.Symbol && t.Time >= from && t.Time <= to)
            .OrderBy(t => t.Time)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return new SymbolHistory(key, perp, spot, oi, [.. tickers.Select(t => t.ToTicker())]);
    }
}
