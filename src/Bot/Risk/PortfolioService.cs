using Microsoft.EntityFrameworkCore;
using PerpGuard.Bot.Alerts;
using PerpGuard.Bot.Commands;
using PerpGuard.Bot.Market;
using PerpGuard.Bot.Storage;
using PerpGuard.Core.Calculator;
using PerpGuard.Core.Market;
using PerpGuard.Core.Portfolio;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Risk;

/// <summary>One venue account of a user: one cross wallet shared by its cross positions, plus its isolated positions.</summary>
/// <param name="Venue">The venue.</param>
/// <param name="Portfolio">The Core view (positions at their fresh marks, betas to BTC).</param>
/// <param name="Positions">The stored positions, in <see cref="Portfolio"/> order.</param>
/// <param name="Reports">The calculator's report of each position at its mark.</param>
/// <param name="Keys">Each position's market.</param>
public sealed record VenueAccount(Venue Venue, Portfolio Portfolio, IReadOnlyList<Position> Positions, IReadOnlyList<CalcReport> Reports, IReadOnlyList<MarketKey> Keys);

/// <summary>A beta to BTC and what it rests on.</summary>
/// <param name="Beta">OLS slope of the asset's 5-minute log returns on BTC's (same venue).</param>
/// <param name="Samples">Aligned returns used; under <see cref="Betas.MinimumSamples"/> the beta is 1, assumed.</param>
public sealed record BetaEstimate(double Beta, int Samples);

/// <summary>A user's portfolio as the stress and the account view see it.</summary>
/// <param name="Accounts">One per venue with usable positions.</param>
/// <param name="Betas">Beta to BTC per (venue, asset).</param>
/// <param name="LeftOut">Positions that could not enter (no fresh mark, rejected by the calculator), and why.</param>
/// <param name="BetaFrom">Start of the estimation window.</param>
/// <param name="AsOf">When it was built.</param>
/// <param name="Returns">The stored returns read for the betas, for the Monte Carlo to reuse.</param>
public sealed record PortfolioView(IReadOnlyList<VenueAccount> Accounts, IReadOnlyDictionary<(Venue, string), BetaEstimate> Betas, IReadOnlyList<string> LeftOut,
    DateTimeOffset BetaFrom, DateTimeOffset AsOf, StoredReturns Returns);

/// <summary>
/// Log returns of consecutive stored 5-minute perp candles per (venue, asset) over one window, each series read from
/// SQLite once per request (BTC serves every beta of its venue, and the Monte Carlo reuses what the betas read).
/// </summary>
public sealed class StoredReturns(PerpGuardDbContext db, DateTimeOffset from, DateTimeOffset to)
{
    private readonly Dictionary<(Venue, string), Dictionary<DateTimeOffset, double>> _read = [];

    /// <summary>The returns of <paramref name="asset"/>'s perpetual on <paramref name="venue"/>, keyed by the later candle's open time.</summary>
    public async Task<Dictionary<DateTimeOffset, double>> OfAsync(Venue venue, string asset, CancellationToken cancellationToken)
    {
        if (_read.TryGetValue((venue, asset), out var cached)) return cached;
        var instrument = VenueSymbols.ForAsset(venue, asset);
        var bars = await MarketHistory.BarsAsync(db, new MarketKey(instrument.Venue, instrument.Symbol), MarketKind.Perp, from, to, cancellationToken).ConfigureAwait(false);
        var returns = new Dictionary<DateTimeOffset, double>();
        for (var i = 1; i < bars.Count; i++)
            if (bars[i - 1].Close > 0 && bars[i].Close > 0 && bars[i].OpenTime - bars[i - 1].OpenTime == PortfolioService.BarStep)
                returns[bars[i].OpenTime] = Math.Log(bars[i].Close / bars[i - 1].Close);
        return _read[(venue, asset)] = returns;
    }
}

/// <summary>
/// Builds a user's portfolio for stress tests from their stored positions, the fresh marks and the stored 5-minute
/// candles. Each venue is one account: its cross positions share one wallet (the largest wallet any of them states,
/// since a venue account has one), its isolated positions carry their own margin. Betas to BTC are estimated per venue
/// over <see cref="BetaWindow"/>; a position without a fresh mark is left out and named, never stressed at an old price.
/// </summary>
public sealed class PortfolioService(RiskCalculator calculator, MarketState market)
{
    /// <summary>How far back betas and the Monte Carlo's return history reach.</summary>
    public static readonly TimeSpan BetaWindow = TimeSpan.FromDays(7);

    /// <summary>Step of the stored candles the returns come from.</summary>
    public static readonly TimeSpan BarStep = TimeSpan.FromMinutes(5);

    /// <summary>Builds the view of <paramref name="ownerId"/>'s positions.</summary>
    public async Task<PortfolioView> BuildAsync(PerpGuardDbContext db, long ownerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var positions = await db.Positions.Where(p => p.OwnerId == ownerId).OrderBy(p => p.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        var from = now - BetaWindow;
        var returns = new StoredReturns(db, from, now);
        var betas = new Dictionary<(Venue, string), BetaEstimate>();
        var leftOut = new List<string>();
        var accounts = new List<VenueAccount>();
        foreach (var venue in positions.GroupBy(p => p.Venue))
        {
            var usable = new List<(Position P, CalcReport R, MarketKey K, string Asset, double Mark)>();
            foreach (var p in venue)
            {
                var key = AlertBook.KeyOf(p.Venue, p.Symbol);
                if (market.FreshMark(key.Venue, key.Symbol) is not { } mark)
                {
                    leftOut.Add($"#{p.Id} {p.Venue.Name()} {p.Symbol}: no fresh mark (/status), left out");
                    continue;
                }
                var request = PositionCommands.StoredRequest(p);
                request.Mark = mark;
                var outcome = calculator.Calculate(request);
                if (outcome.Report is not { } report)
                {
                    leftOut.Add($"#{p.Id} {p.Venue.Name()} {p.Symbol}: {outcome.Error}");
                    continue;
                }
                if (report.Terms is { Mode: MarginMode.Cross, Contract: ContractType.Inverse })
                {
                    // A coin-margined cross account is a different account (its wallet is in the coin): not modelled here yet.
                    leftOut.Add($"#{p.Id} {p.Venue.Name()} {p.Symbol}: inverse cross (coin-margined account) is not stressed yet; /risk has its own liquidation");
                    continue;
                }
                usable.Add((p, report, key, AlertBook.AssetOf(p.Symbol), mark));
            }
            if (usable.Count == 0) continue;
            foreach (var asset in usable.Select(u => u.Asset).Distinct())
                betas[(venue.Key, asset)] = asset == "BTC" ? new BetaEstimate(1, 0) : await BetaAsync(returns, venue.Key, asset, cancellationToken).ConfigureAwait(false);
            // A venue account has one cross wallet; positions each state it, so the largest statement is taken.
            var wallet = usable.Where(u => u.P.MarginMode == MarginMode.Cross).Select(u => u.R.Terms.Collateral).DefaultIfEmpty(0).Max();
            var members = usable.Select(u => new PortfolioPosition($"#{u.P.Id}", u.Asset, u.R.Terms, u.Mark) { Beta = betas[(venue.Key, u.Asset)].Beta }).ToList();
            accounts.Add(new VenueAccount(venue.Key, new Portfolio(members, wallet), [.. usable.Select(u => u.P)], [.. usable.Select(u => u.R)], [.. usable.Select(u => u.K)]));
        }
        return new PortfolioView(accounts, betas, leftOut, from, now, returns);
    }

    /// <summary>The account's return history (aligned 5-minute log returns per asset) for the Monte Carlo, or null with too little.</summary>
    public static async Task<MarketModel?> ModelAsync(StoredReturns returns, VenueAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(returns);
        ArgumentNullException.ThrowIfNull(account);
        var assets = account.Portfolio.Positions.Select(p => p.Asset).Distinct().ToList();
        var series = new List<Dictionary<DateTimeOffset, double>>();
        foreach (var asset in assets) series.Add(await returns.OfAsync(account.Venue, asset, cancellationToken).ConfigureAwait(false));
        var times = series.Skip(1).Aggregate(series[0].Keys.ToHashSet(), (set, s) => { set.IntersectWith(s.Keys); return set; }).Order().ToList();
        if (times.Count < 100) return null;
        return MarketModel.FromHistory(assets, [.. series.Select(s => times.Select(t => s[t]).ToArray())], BarStep);
    }

    /// <summary>Mean and standard deviation of the relative spread in the stored books of the last 24 h (zeros without any).</summary>
    public static async Task<(double Mean, double Stdev, int Books)> SpreadStatsAsync(PerpGuardDbContext db, MarketKey key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var from = now - TimeSpan.FromDays(1);
        var books = await db.Books.Where(b => b.Venue == key.Venue && b.Symbol == key.Symbol && b.Time >= from && b.Time <= now)
            .Select(b => new { b.BestBid, b.BestAsk }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var spreads = books.Where(b => b.BestBid > 0 && b.BestAsk >= b.BestBid).Select(b => (b.BestAsk - b.BestBid) / ((b.BestAsk + b.BestBid) / 2)).ToList();
        if (spreads.Count == 0) return (0, 0, 0);
        var mean = spreads.Average();
        var stdev = spreads.Count > 1 ? Math.Sqrt(spreads.Sum(s => (s - mean) * (s - mean)) / (spreads.Count - 1)) : 0;
        return (mean, stdev, spreads.Count);
    }

    private static async Task<BetaEstimate> BetaAsync(StoredReturns returns, Venue venue, string asset, CancellationToken cancellationToken)
    {
        var btc = await returns.OfAsync(venue, "BTC", cancellationToken).ConfigureAwait(false);
        var other = await returns.OfAsync(venue, asset, cancellationToken).ConfigureAwait(false);
        var times = btc.Keys.Where(other.ContainsKey).Order().ToList();
        var (beta, samples) = Betas.Estimate([.. times.Select(t => btc[t])], [.. times.Select(t => other[t])]);
        return new BetaEstimate(beta, samples);
    }
}
