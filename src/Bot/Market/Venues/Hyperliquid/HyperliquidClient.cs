using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using PerpGuard.Bot.Market.Http;
using PerpGuard.Core.Margin;
using PerpGuard.Core.Market;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Market.Venues.Hyperliquid;

/// <summary>
/// Hyperliquid public market data: every request is <c>POST /info</c> with a JSON body naming its <c>type</c>
/// (../docs/market-apis.md §3). Symbols are coin names as listed in <c>meta.universe</c> (<c>BTC</c>, <c>kPEPE</c>),
/// compared case-sensitively. Delisted coins stay in the universe (they keep their asset index) but are treated as
/// not listed.
/// </summary>
public sealed class HyperliquidClient(VenueHttpFactory http, TimeProvider time) : IVenueClient
{
    // Weights from the rate-limit page: l2Book 2, every other info request 20; candleSnapshot +1 per 60 rows.
    private const int BookWeight = 2;
    private const int InfoWeight = 20;
    private const int MaxBookLevels = 20;
    private const int MaxCandles = 5000;
    // Tiers above the last lowerBound are unbounded; TierTable needs a finite cap.
    private const double OpenEndedCap = 1e15;
    private const string InfoPath = "/info";
    private static readonly TimeSpan UniverseMaxAge = TimeSpan.FromHours(1);
    // A coin missing from a cached universe may have just been listed: re-read the universe if the cache is older.
    private static readonly TimeSpan UniverseRecheck = TimeSpan.FromMinutes(1);

    private static readonly (TimeSpan Span, string Name)[] Intervals =
    [
        (TimeSpan.FromMinutes(1), "1m"), (TimeSpan.FromMinutes(3), "3m"), (TimeSpan.FromMinutes(5), "5m"),
        (TimeSpan.FromMinutes(15), "15m"), (TimeSpan.FromMinutes(30), "30m"), (TimeSpan.FromHours(1), "1h"),
        (TimeSpan.FromHours(2), "2h"), (TimeSpan.FromHours(4), "4h"), (TimeSpan.FromHours(8), "8h"),
        (TimeSpan.FromHours(12), "12h"), (TimeSpan.FromDays(1), "1d"), (TimeSpan.FromDays(3), "3d"),
        (TimeSpan.FromDays(7), "1w"),
        // Calendar months vary in length; a 30-day interval asks for HL's "1M" bars.
        (TimeSpan.FromDays(30), "1M"),
    ];

    private readonly Lock _gate = new();
    private (IReadOnlySet<string> Listed, DateTimeOffset At)? _universe;

    /// <inheritdoc />
    public Venue Venue => Venue.Hyperliquid;

    /// <inheritdoc />
    public async Task<IReadOnlyList<Ticker>> GetTickersAsync(IReadOnlyCollection<string> symbols, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        if (symbols.Count == 0) return [];
        var wanted = new HashSet<string>(symbols, StringComparer.Ordinal);
        var (meta, ctxs, now) = await MetaAndCtxsAsync("tickers", cancellationToken).ConfigureAwait(false);
        // The next settlement is the next whole hour: HL settles funding hourly on the hour.
        var nextFunding = new DateTimeOffset(now.UtcTicks / TimeSpan.TicksPerHour * TimeSpan.TicksPerHour, TimeSpan.Zero).AddHours(1);
        var tickers = new List<Ticker>(wanted.Count);
        // Index over the whole universe, delisted entries included: ctxs[i] belongs to universe[i].
        for (var i = 0; i < meta.Universe.Count; i++)
        {
            var asset = meta.Universe[i];
            if (asset.IsDelisted || !wanted.Contains(asset.Name)) continue;
            var ctx = Ctx(ctxs, i, asset.Name, "tickers");
            var ticker = new Ticker
            {
                Symbol = asset.Name,
                Time = now,
                Mark = ctx.MarkPx,
                Index = ctx.OraclePx,
                Last = ctx.MidPx,
                FundingRate = ctx.Funding,
                FundingIntervalHours = 1,
                NextFunding = nextFunding,
                Volume24h = ctx.DayBaseVlm,
                QuoteVolume24h = ctx.DayNtlVlm,
                OpenInterest = ctx.OpenInterest,
            };
            Sane(MarketSanity.Check(ticker), asset.Name, "ticker");
            tickers.Add(ticker);
        }
        return tickers;
    }

    /// <inheritdoc />
    public async Task<OpenInterestPoint> GetOpenInterestAsync(string symbol, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        var (meta, ctxs, now) = await MetaAndCtxsAsync("open interest", cancellationToken).ConfigureAwait(false);
        var index = IndexOf(meta, symbol, "open interest");
        var ctx = Ctx(ctxs, index, symbol, "open interest");
        // openInterest is in coins; HL publishes no USD figure, so value it at the mark.
        var point = new OpenInterestPoint(now, ctx.OpenInterest, ctx.OpenInterest * ctx.MarkPx);
        Sane(MarketSanity.Check(point), symbol, "open interest");
        return point;
    }

    /// <inheritdoc />
    /// <remarks>Hyperliquid serves no open-interest history (only the current <c>openInterest</c> of each asset ctx),
    /// so this is always empty and sends nothing; history has to be built by sampling <see cref="GetOpenInterestAsync"/>.</remarks>
    public Task<IReadOnlyList<OpenInterestPoint>> GetOpenInterestHistoryAsync(string symbol, TimeSpan period, int limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        return Task.FromResult<IReadOnlyList<OpenInterestPoint>>([]);
    }

    /// <inheritdoc />
    public async Task<OrderBook> GetOrderBookAsync(string symbol, int depth, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(depth);
        await EnsureListedAsync(symbol, "order book", cancellationToken).ConfigureAwait(false);
        var venue = http.Create(Venue);
        var body = await venue.PostJsonAsync(InfoPath, Json(new HlCoinRequest("l2Book", symbol), HyperliquidJsonContext.Default.HlCoinRequest),
            BookWeight, cancellationToken).ConfigureAwait(false);
        long timeMs;
        BookLevel[] bids, asks;
        try
        {
            (timeMs, bids, asks) = HlBookJson.Read(body);
        }
        catch (JsonException ex)
        {
            throw venue.Malformed($"{symbol} order book", $"unreadable l2Book ({ex.Message})", ex);
        }
        // HL serves at most 20 levels per side; take what was asked for.
        var take = Math.Min(depth, MaxBookLevels);
        var book = new OrderBook(FlexibleJson.FromMs(timeMs) ?? time.GetUtcNow(), bids.Length > take ? bids[..take] : bids, asks.Length > take ? asks[..take] : asks);
        Sane(MarketSanity.Check(book, out _), symbol, "order book");
        return book;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Spot: Hyperliquid's spot tokens are separate markets (<c>@142</c>, <c>PURR/USDC</c>) with no fixed link to a perp,
    /// so there is no spot pair and this returns an empty list for <see cref="MarketKind.Spot"/> without a request.
    /// </remarks>
    public async Task<IReadOnlyList<Bar>> GetBarsAsync(string symbol, MarketKind market, TimeSpan interval, int limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var name = IntervalName(interval);
        if (market == MarketKind.Spot) return [];
        await EnsureListedAsync(symbol, "bars", cancellationToken).ConfigureAwait(false);
        limit = Math.Min(limit, MaxCandles);
        var now = time.GetUtcNow();
        // A window of limit bars ending now, plus one so the forming bar and the full count both fit.
        var start = now - interval * (limit + 1);
        var request = new HlCandleRequest("candleSnapshot", new HlCandleWindow(symbol, name, start.ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds()));
        var venue = http.Create(Venue);
        var body = await venue.PostJsonAsync(InfoPath, Json(request, HyperliquidJsonContext.Default.HlCandleRequest),
            InfoWeight + limit / 60, cancellationToken).ConfigureAwait(false);
        var rows = venue.Parse(body, HyperliquidJsonContext.Default.ListHlCandle, $"{symbol} bars");
        var bars = new List<Bar>(Math.Min(rows.Count, limit));
        // Ascending already; keep the newest `limit`.
        foreach (var row in rows.Skip(Math.Max(0, rows.Count - limit)))
        {
            var bar = new Bar
            {
                OpenTime = DateTimeOffset.FromUnixTimeMilliseconds(row.OpenMs),
                Interval = interval,
                Open = row.Open, High = row.High, Low = row.Low, Close = row.Close,
                Volume = row.Volume,
                // T is the bar's last millisecond; the bar is closed once now is past it. HL gives no taker volume.
                Closed = row.CloseMs > 0 ? now.ToUnixTimeMilliseconds() > row.CloseMs : now >= DateTimeOffset.FromUnixTimeMilliseconds(row.OpenMs) + interval,
            };
            Sane(MarketSanity.Check(bar), symbol, "bar");
            bars.Add(bar);
        }
        return bars;
    }

    /// <inheritdoc />
    /// <remarks>Always null, without a request: HL spot tokens are different markets from its perps (see <see cref="GetBarsAsync"/>).</remarks>
    public Task<SpotTicker?> GetSpotTickerAsync(string symbol, CancellationToken cancellationToken) => Task.FromResult<SpotTicker?>(null);

    /// <inheritdoc />
    /// <remarks>
    /// From <c>meta.marginTables[marginTableId].marginTiers</c>: each tier starts at <c>lowerBound</c> (USD notional) and
    /// allows <c>maxLeverage</c>; maintenance is half the initial margin at that leverage, <c>1 / (2 × maxLeverage)</c>,
    /// with the deduction that keeps maintenance continuous across tier edges (as in the shipped tiers.json). Ids that
    /// are not in <c>marginTables</c> (the small ids of untiered coins) mean one tier at the asset's maxLeverage.
    /// </remarks>
    public async Task<TierTable?> GetTiersAsync(string symbol, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        var (meta, ctxs, now) = await MetaAndCtxsAsync("tiers", cancellationToken).ConfigureAwait(false);
        var index = IndexOf(meta, symbol, "tiers");
        var asset = meta.Universe[index];
        var table = asset.MarginTableId is { } id ? meta.MarginTables.FirstOrDefault(t => t.Id == id)?.Table : null;
        var bounds = table is { MarginTiers.Count: > 0 }
            ? table.MarginTiers.Select(t => (t.LowerBound, t.MaxLeverage)).ToList()
            : [(0.0, asset.MaxLeverage)];
        var tiers = new List<MarginTier>(bounds.Count);
        double deduction = 0, previousRate = 0;
        for (var i = 0; i < bounds.Count; i++)
        {
            var (floor, leverage) = bounds[i];
            if (!(leverage > 0) || !double.IsFinite(leverage) || !(floor >= 0) || !double.IsFinite(floor))
                throw Absurd(symbol, "tiers", $"tier {i + 1} has lowerBound {Show(floor)} and maxLeverage {Show(leverage)}");
            var rate = 1 / (2 * leverage);
            if (i > 0) deduction += floor * (rate - previousRate);
            var cap = i + 1 < bounds.Count ? bounds[i + 1].LowerBound : OpenEndedCap;
            tiers.Add(new MarginTier(floor, cap, rate, deduction, leverage));
            previousRate = rate;
        }
        var ctx = index < ctxs.Count ? ctxs[index] : null;
        try
        {
            return new TierTable(Venue, ContractType.Linear, symbol, BaseAsset(symbol), "USDC", TierBasis.Notional, null,
                EffectiveTick(asset.SzDecimals, ctx?.MarkPx ?? double.NaN), DateOnly.FromDateTime(now.UtcDateTime),
                $"live: Hyperliquid POST /info metaAndAssetCtxs, marginTables[{asset.MarginTableId?.ToString(CultureInfo.InvariantCulture) ?? "none"}]", tiers);
        }
        catch (ArgumentException ex)
        {
            throw Absurd(symbol, "tiers", ex.Message);
        }
    }

    // One metaAndAssetCtxs call serves tickers, open interest, tiers and the listed-coin check.
    private async Task<(HlMeta Meta, IReadOnlyList<HlAssetCtx> Ctxs, DateTimeOffset Now)> MetaAndCtxsAsync(string what, CancellationToken cancellationToken)
    {
        var venue = http.Create(Venue);
        var body = await venue.PostJsonAsync(InfoPath, Json(new HlTypeRequest("metaAndAssetCtxs"), HyperliquidJsonContext.Default.HlTypeRequest),
            InfoWeight, cancellationToken).ConfigureAwait(false);
        var parsed = venue.Parse(body, HyperliquidJsonContext.Default.HlMetaAndCtxs, what);
        var now = time.GetUtcNow();
        var listed = parsed.Meta.Universe.Where(a => !a.IsDelisted).Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        lock (_gate) _universe = (listed, now);
        return (parsed.Meta, parsed.Ctxs, now);
    }

    // Book and candle requests for a coin HL does not list answer null or an empty list; check the universe first so
    // an unknown coin is reported as such.
    private async Task EnsureListedAsync(string symbol, string what, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        (IReadOnlySet<string> Listed, DateTimeOffset At)? cached;
        lock (_gate) cached = _universe;
        if (cached is { } c && now - c.At < UniverseMaxAge && (c.Listed.Contains(symbol) || now - c.At < UniverseRecheck))
        {
            if (c.Listed.Contains(symbol)) return;
            throw Unknown(symbol, what);
        }
        var (meta, _, _) = await MetaAndCtxsAsync(what, cancellationToken).ConfigureAwait(false);
        IndexOf(meta, symbol, what);
    }

    private int IndexOf(HlMeta meta, string symbol, string what)
    {
        for (var i = 0; i < meta.Universe.Count; i++)
            if (string.Equals(meta.Universe[i].Name, symbol, StringComparison.Ordinal))
                return meta.Universe[i].IsDelisted ? throw Unknown(symbol, what, delisted: true) : i;
        throw Unknown(symbol, what);
    }

    private HlAssetCtx Ctx(IReadOnlyList<HlAssetCtx> ctxs, int index, string symbol, string what) =>
        index < ctxs.Count
            ? ctxs[index]
            : throw new MarketDataException(Venue, MarketFault.Malformed,
                $"{Venue.Name()} {what}: {symbol} is universe[{index}] but only {ctxs.Count} asset ctxs came back");

    private MarketDataException Unknown(string symbol, string what, bool delisted = false) =>
        new(Venue, MarketFault.UnknownSymbol, delisted
            ? $"{Venue.Name()} {what}: {symbol} is delisted"
            : $"{Venue.Name()} {what}: no perpetual named '{symbol}' (coin names are case-sensitive, e.g. BTC, kPEPE)");

    private void Sane(string? problem, string symbol, string what)
    {
        if (problem is not null) throw Absurd(symbol, what, problem);
    }

    private MarketDataException Absurd(string symbol, string what, string problem) =>
        new(Venue, MarketFault.Absurd, $"{Venue.Name()} {symbol} {what}: {problem}");

    private static string IntervalName(TimeSpan interval)
    {
        foreach (var (span, name) in Intervals)
            if (span == interval) return name;
        throw new ArgumentOutOfRangeException(nameof(interval), interval,
            "Hyperliquid candles come in 1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 8h, 12h, 1d, 3d, 1w and 1M (30 days).");
    }

    // Prices are limited to 5 significant figures and (6 − szDecimals) decimals: at the current mark the effective tick
    // is the larger of the two; without a mark, the decimals limit alone.
    private static double EffectiveTick(long szDecimals, double mark)
    {
        var byDecimals = Math.Pow(10, -Math.Max(0, 6 - szDecimals));
        if (!(mark > 0) || !double.IsFinite(mark)) return byDecimals;
        return Math.Max(byDecimals, Math.Pow(10, Math.Floor(Math.Log10(mark)) - 4));
    }

    private static string BaseAsset(string symbol) => SymbolName.TryParse(symbol, out var baseAsset, out _) ? baseAsset : symbol;

    private static string Json<T>(T value, JsonTypeInfo<T> info) => JsonSerializer.Serialize(value, info);

    private static string Show(double x) => x.ToString("G6", CultureInfo.InvariantCulture);
}
