using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using PerpGuard.Bot.Market.Http;
using PerpGuard.Core.Margin;
using PerpGuard.Core.Market;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Market.Venues.Okx;

/// <summary>
/// OKX v5 public market data for perpetual swaps (<c>BTC-USDT-SWAP</c> linear, <c>BTC-USD-SWAP</c> inverse;
/// ../docs/market-apis.md §4). Books, open interest and candles count CONTRACTS; the contract value (<c>ctVal</c>,
/// coins per contract for linear, USD per contract for inverse) comes from the instrument list, cached for an hour.
/// Every answer is an envelope whose string <c>code</c> must be "0", even under HTTP 200.
/// </summary>
public sealed class OkxClient(VenueHttpFactory http, TimeProvider time) : IVenueClient
{
    // OKX limits per endpoint; the shared limiter counts requests, so each costs 1.
    private const int Weight = 1;
    private const int MaxBookDepth = 400;
    private const int MaxCandles = 300;
    private const int MaxOpenInterestRows = 100;
    private const string UnknownInstrument = "51001";
    private const string RateLimitCode = "50011";
    private static readonly TimeSpan InstrumentsMaxAge = TimeSpan.FromHours(1);
    // A symbol missing from a cached list may have just been listed: re-read the list if the cache is older.
    private static readonly TimeSpan InstrumentsRecheck = TimeSpan.FromMinutes(1);

    // UTC-aligned variants from 6 h up (the plain 6H/12H/1D bars open on Hong Kong time).
    private static readonly (TimeSpan Span, string Name)[] BarNames =
    [
        (TimeSpan.FromMinutes(1), "1m"), (TimeSpan.FromMinutes(3), "3m"), (TimeSpan.FromMinutes(5), "5m"),
        (TimeSpan.FromMinutes(15), "15m"), (TimeSpan.FromMinutes(30), "30m"), (TimeSpan.FromHours(1), "1H"),
        (TimeSpan.FromHours(2), "2H"), (TimeSpan.FromHours(4), "4H"), (TimeSpan.FromHours(6), "6Hutc"),
        (TimeSpan.FromHours(12), "12Hutc"), (TimeSpan.FromDays(1), "1Dutc"), (TimeSpan.FromDays(7), "1Wutc"),
        (TimeSpan.FromDays(30), "1Mutc"),
    ];
    private static readonly (TimeSpan Span, string Name)[] OpenInterestPeriods =
    [
        (TimeSpan.FromMinutes(5), "5m"), (TimeSpan.FromMinutes(15), "15m"), (TimeSpan.FromMinutes(30), "30m"),
        (TimeSpan.FromHours(1), "1H"), (TimeSpan.FromHours(2), "2H"), (TimeSpan.FromHours(4), "4H"),
        (TimeSpan.FromHours(6), "6Hutc"), (TimeSpan.FromHours(12), "12Hutc"), (TimeSpan.FromDays(1), "1Dutc"),
    ];

    private readonly Lock _gate = new();
    private Task<IReadOnlyDictionary<string, OkxInstrument>>? _instruments;
    private DateTimeOffset _instrumentsAt;

    /// <inheritdoc />
    public Venue Venue => Venue.Okx;

    /// <inheritdoc />
    /// <remarks>
    /// Bulk mark prices, tickers and index tickers (one call per quote currency: USDT for linear, USD for inverse),
    /// then one funding-rate call per symbol (OKX has no bulk funding). <c>fundingTime</c> is the coming settlement
    /// the rate applies to; the interval is <c>nextFundingTime − fundingTime</c>. Volume is <c>volCcy24h</c> (coins);
    /// quote volume is exact for inverse (contracts × USD per contract) and estimated at the last price for linear,
    /// where OKX publishes none.
    /// </remarks>
    public async Task<IReadOnlyList<Ticker>> GetTickersAsync(IReadOnlyCollection<string> symbols, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        if (symbols.Count == 0) return [];
        var instruments = await InstrumentsAsync(InstrumentsMaxAge, cancellationToken).ConfigureAwait(false);
        var wanted = symbols.Distinct(StringComparer.Ordinal).Select(s => instruments.GetValueOrDefault(s)).OfType<OkxInstrument>().ToList();
        if (wanted.Count == 0) return [];
        var venue = http.Create(Venue);
        var marksTask = ListAsync(venue, "/api/v5/public/mark-price?instType=SWAP", OkxJsonContext.Default.OkxEnvelopeOkxMarkPrice, "mark prices", cancellationToken);
        var tickersTask = ListAsync(venue, "/api/v5/market/tickers?instType=SWAP", OkxJsonContext.Default.OkxEnvelopeOkxTicker, "tickers", cancellationToken);
        var indexTasks = wanted.Select(i => Quote(Family(i))).Distinct(StringComparer.Ordinal)
            .Select(q => ListAsync(venue, $"/api/v5/market/index-tickers?quoteCcy={Uri.EscapeDataString(q)}", OkxJsonContext.Default.OkxEnvelopeOkxIndexTicker, "index tickers", cancellationToken))
            .ToList();
        var fundingTasks = wanted.Select(i => FundingAsync(venue, i.InstId, cancellationToken)).ToList();
        await Task.WhenAll([marksTask, tickersTask, .. indexTasks, .. fundingTasks]).ConfigureAwait(false);

        var marks = ByInstId(await marksTask.ConfigureAwait(false), m => m.InstId);
        var lasts = ByInstId(await tickersTask.ConfigureAwait(false), t => t.InstId);
        var indexes = new Dictionary<string, OkxIndexTicker>(StringComparer.Ordinal);
        foreach (var task in indexTasks)
            foreach (var index in await task.ConfigureAwait(false)) indexes.TryAdd(index.InstId, index);
        var now = time.GetUtcNow();
        var result = new List<Ticker>(wanted.Count);
        for (var n = 0; n < wanted.Count; n++)
        {
            var inst = wanted[n];
            var funding = await fundingTasks[n].ConfigureAwait(false);
            // No mark or no funding: OKX does not list it as a live swap right now.
            if (funding is null || !marks.TryGetValue(inst.InstId, out var mark)) continue;
            var ticker = lasts.GetValueOrDefault(inst.InstId);
            var last = ticker?.Last ?? double.NaN;
            var inverse = IsInverse(inst);
            var coins = ticker?.VolCcy24h ?? double.NaN;
            if (double.IsNaN(coins) && !inverse) coins = (ticker?.Vol24h ?? double.NaN) * inst.CtVal;
            var quoteVolume = inverse ? (ticker?.Vol24h ?? double.NaN) * inst.CtVal : coins * last;
            var intervalHours = funding.FundingTime > 0 && funding.NextFundingTime > funding.FundingTime
                ? (funding.NextFundingTime - funding.FundingTime) / (double)TimeSpan.MillisecondsPerHour
                : double.NaN;
            var item = new Ticker
            {
                Symbol = inst.InstId,
                Time = FlexibleJson.FromMs(mark.Ts) ?? now,
                Mark = mark.MarkPx,
                Index = indexes.GetValueOrDefault(Family(inst))?.IdxPx ?? double.NaN,
                Last = last,
                FundingRate = funding.FundingRate,
                FundingIntervalHours = intervalHours,
                NextFunding = FlexibleJson.FromMs(funding.FundingTime),
                Volume24h = coins,
                QuoteVolume24h = quoteVolume,
            };
            Sane(MarketSanity.Check(item), inst.InstId, "ticker");
            result.Add(item);
        }
        return result;
    }

    /// <inheritdoc />
    public async Task<OpenInterestPoint> GetOpenInterestAsync(string symbol, CancellationToken cancellationToken)
    {
        var inst = await InstrumentAsync(symbol, "open interest", cancellationToken).ConfigureAwait(false);
        var venue = http.Create(Venue);
        var rows = await ListAsync(venue, $"/api/v5/public/open-interest?instType=SWAP&instId={Uri.EscapeDataString(symbol)}",
            OkxJsonContext.Default.OkxEnvelopeOkxOpenInterest, $"{symbol} open interest", cancellationToken).ConfigureAwait(false);
        var row = rows.FirstOrDefault(r => r.InstId == symbol) ?? rows.FirstOrDefault()
            ?? throw venue.Malformed($"{symbol} open interest", "data is empty");
        var point = OpenInterest(inst, FlexibleJson.FromMs(row.Ts) ?? time.GetUtcNow(), row.Oi, row.OiCcy, row.OiUsd);
        Sane(MarketSanity.Check(point), symbol, "open interest");
        return point;
    }

    /// <inheritdoc />
    /// <remarks>Periods 5m, 15m, 30m, 1h, 2h, 4h, 6h, 12h, 1d (the last three UTC-aligned); at most 100 rows.</remarks>
    public async Task<IReadOnlyList<OpenInterestPoint>> GetOpenInterestHistoryAsync(string symbol, TimeSpan period, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var name = Name(OpenInterestPeriods, period, nameof(period), "OKX open-interest history comes in 5m, 15m, 30m, 1h, 2h, 4h, 6h, 12h and 1d periods.");
        var inst = await InstrumentAsync(symbol, "open-interest history", cancellationToken).ConfigureAwait(false);
        var venue = http.Create(Venue);
        var rows = await ListAsync(venue,
            $"/api/v5/rubik/stat/contracts/open-interest-history?instId={Uri.EscapeDataString(symbol)}&period={name}&limit={Math.Min(limit, MaxOpenInterestRows).ToString(CultureInfo.InvariantCulture)}",
            OkxJsonContext.Default.OkxEnvelopeOkxRow, $"{symbol} open-interest history", cancellationToken).ConfigureAwait(false);
        // Rows are [ts, oi (contracts), oiCcy (coins), oiUsd], newest first.
        var points = new List<OpenInterestPoint>(rows.Count);
        foreach (var row in rows)
        {
            if (!(row[0] > 0)) throw venue.Malformed($"{symbol} open-interest history", "a row has no timestamp");
            var point = OpenInterest(inst, DateTimeOffset.FromUnixTimeMilliseconds((long)row[0]), row[1], row[2], row[3]);
            Sane(MarketSanity.Check(point), symbol, "open-interest history");
            points.Add(point);
        }
        points.Reverse();
        return [.. points.OrderBy(p => p.Time)];
    }

    /// <inheritdoc />
    /// <remarks>
    /// Levels are <c>[px, contracts, "0", orders]</c>. Linear: coins = contracts × ctVal. Inverse (ctVal in USD):
    /// coins = contracts × ctVal / px, the coins that USD buys at the level's own price.
    /// </remarks>
    public async Task<OrderBook> GetOrderBookAsync(string symbol, int depth, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(depth);
        var inst = await InstrumentAsync(symbol, "order book", cancellationToken).ConfigureAwait(false);
        var ctVal = ContractValue(inst);
        depth = Math.Min(depth, MaxBookDepth);
        var venue = http.Create(Venue);
        var what = $"{symbol} order book";
        var body = await venue.GetAsync($"/api/v5/market/books?instId={Uri.EscapeDataString(symbol)}&sz={depth.ToString(CultureInfo.InvariantCulture)}",
            Weight, cancellationToken).ConfigureAwait(false);
        (string? Code, string? Msg, bool HasData, long TsMs, BookLevel[] Bids, BookLevel[] Asks) book;
        try
        {
            book = OkxBookJson.Read(body, ctVal);
        }
        catch (JsonException ex)
        {
            throw venue.Malformed(what, $"unreadable JSON ({ex.Message})", ex);
        }
        Check(venue, book.Code, book.Msg, what);
        if (!book.HasData) throw venue.Malformed(what, "data is empty");
        if (IsInverse(inst))
        {
            ToCoins(book.Bids);
            ToCoins(book.Asks);
        }
        var result = new OrderBook(FlexibleJson.FromMs(book.TsMs) ?? time.GetUtcNow(),
            book.Bids.Length > depth ? book.Bids[..depth] : book.Bids, book.Asks.Length > depth ? book.Asks[..depth] : book.Asks);
        Sane(MarketSanity.Check(result, out _), symbol, "order book");
        return result;

        static void ToCoins(BookLevel[] levels)
        {
            for (var i = 0; i < levels.Length; i++) levels[i] = levels[i] with { Size = levels[i].Size / levels[i].Price };
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Rows are <c>[ts, o, h, l, c, vol, volCcy, volCcyQuote, confirm]</c>, newest first; <c>confirm</c> "0" is the
    /// forming bar. Swap <c>vol</c> is contracts and <c>volCcy</c> coins; spot <c>vol</c> is coins. Spot bars are of
    /// <c>BASE-USDT</c>; a spot pair OKX does not list gives an empty list. OKX gives no taker volume.
    /// </remarks>
    public async Task<IReadOnlyList<Bar>> GetBarsAsync(string symbol, MarketKind market, TimeSpan interval, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var bar = Name(BarNames, interval, nameof(interval), "OKX candles come in 1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 12h, 1d, 1w and 1M (30 days).");
        var inst = await InstrumentAsync(symbol, "bars", cancellationToken).ConfigureAwait(false);
        var spot = market == MarketKind.Spot;
        var instId = spot ? SpotSymbol(inst) : symbol;
        var what = $"{instId} bars";
        var venue = http.Create(Venue);
        List<OkxRow> rows;
        try
        {
            rows = await ListAsync(venue,
                $"/api/v5/market/candles?instId={Uri.EscapeDataString(instId)}&bar={bar}&limit={Math.Min(limit, MaxCandles).ToString(CultureInfo.InvariantCulture)}",
                OkxJsonContext.Default.OkxEnvelopeOkxRow, what, cancellationToken).ConfigureAwait(false);
        }
        catch (MarketDataException ex) when (spot && ex.Fault == MarketFault.UnknownSymbol)
        {
            return [];
        }
        var now = time.GetUtcNow();
        var bars = new List<Bar>(rows.Count);
        foreach (var row in rows)
        {
            if (!(row[0] > 0)) throw venue.Malformed(what, "a candle has no timestamp");
            var openTime = DateTimeOffset.FromUnixTimeMilliseconds((long)row[0]);
            var volume = spot ? row[5] : row[6];
            if (!spot && double.IsNaN(volume) && !IsInverse(inst)) volume = row[5] * inst.CtVal;
            var confirm = row[8];
            var b = new Bar
            {
                OpenTime = openTime,
                Interval = interval,
                Open = row[1], High = row[2], Low = row[3], Close = row[4],
                Volume = volume,
                QuoteVolume = row[7],
                Closed = double.IsNaN(confirm) ? now >= openTime + interval : confirm != 0,
            };
            Sane(MarketSanity.Check(b), instId, "bar");
            bars.Add(b);
        }
        // Newest first on the wire: reverse, then a stable sort in case a page comes back in another order.
        bars.Reverse();
        var ascending = bars.OrderBy(b => b.OpenTime).ToList();
        return ascending.Count > limit ? ascending[^limit..] : ascending;
    }

    /// <inheritdoc />
    /// <remarks>The <c>BASE-USDT</c> spot pair's last price and <c>volCcy24h</c> (quote volume for spot); null when OKX does not list that pair.</remarks>
    public async Task<SpotTicker?> GetSpotTickerAsync(string symbol, CancellationToken cancellationToken)
    {
        var inst = await InstrumentAsync(symbol, "spot ticker", cancellationToken).ConfigureAwait(false);
        var spotSymbol = SpotSymbol(inst);
        var venue = http.Create(Venue);
        List<OkxTicker> rows;
        try
        {
            rows = await ListAsync(venue, $"/api/v5/market/ticker?instId={Uri.EscapeDataString(spotSymbol)}",
                OkxJsonContext.Default.OkxEnvelopeOkxTicker, $"{spotSymbol} spot ticker", cancellationToken).ConfigureAwait(false);
        }
        catch (MarketDataException ex) when (ex.Fault == MarketFault.UnknownSymbol)
        {
            return null;
        }
        var row = rows.FirstOrDefault(r => r.InstId == spotSymbol) ?? rows.FirstOrDefault();
        if (row is null) return null;
        var spot = new SpotTicker { Symbol = spotSymbol, Time = FlexibleJson.FromMs(row.Ts) ?? time.GetUtcNow(), Price = row.Last, QuoteVolume24h = row.VolCcy24h };
        Sane(MarketSanity.Check(spot), spotSymbol, "spot ticker");
        return spot;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Cross-margin tiers of the symbol's instrument family. OKX picks the tier by position size in CONTRACTS, so the
    /// table keeps that basis (<see cref="TierBasis.Contracts"/>, contract size = ctVal) as the shipped tiers.json does.
    /// Each tier starts where the previous one's <c>maxSz</c> ends (OKX's own <c>minSz</c> may sit one lot higher).
    /// OKX publishes no maintenance deduction (0).
    /// </remarks>
    public async Task<TierTable?> GetTiersAsync(string symbol, CancellationToken cancellationToken)
    {
        var inst = await InstrumentAsync(symbol, "tiers", cancellationToken).ConfigureAwait(false);
        var family = Family(inst);
        var venue = http.Create(Venue);
        var rows = await ListAsync(venue, $"/api/v5/public/position-tiers?instType=SWAP&tdMode=cross&instFamily={Uri.EscapeDataString(family)}",
            OkxJsonContext.Default.OkxEnvelopeOkxPositionTier, $"{family} tiers", cancellationToken).ConfigureAwait(false);
        var own = rows.Where(r => (r.InstFamily.Length > 0 ? r.InstFamily : r.Uly) is var f && (f.Length == 0 || f == family))
            .OrderBy(r => r.Tier).ToList();
        if (own.Count == 0) throw venue.Malformed($"{family} tiers", "no tiers for the family");
        var tiers = new List<MarginTier>(own.Count);
        var floor = 0.0;
        foreach (var row in own)
        {
            tiers.Add(new MarginTier(floor, row.MaxSz, row.Mmr, 0, row.MaxLever));
            floor = row.MaxSz;
        }
        try
        {
            return new TierTable(Venue, IsInverse(inst) ? ContractType.Inverse : ContractType.Linear, inst.InstId,
                SymbolName.TryParse(inst.InstId, out var baseAsset, out _) ? baseAsset : inst.InstId, inst.SettleCcy, TierBasis.Contracts,
                ContractValue(inst), inst.TickSz, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime),
                $"live: OKX GET /api/v5/public/position-tiers?instType=SWAP&tdMode=cross&instFamily={family}", tiers);
        }
        catch (ArgumentException ex)
        {
            throw Absurd(symbol, "tiers", ex.Message);
        }
    }

    private async Task<OkxFundingRate?> FundingAsync(VenueHttp venue, string instId, CancellationToken cancellationToken)
    {
        try
        {
            var rows = await ListAsync(venue, $"/api/v5/public/funding-rate?instId={Uri.EscapeDataString(instId)}",
                OkxJsonContext.Default.OkxEnvelopeOkxFundingRate, $"{instId} funding rate", cancellationToken).ConfigureAwait(false);
            return rows.FirstOrDefault(r => r.InstId == instId) ?? rows.FirstOrDefault();
        }
        catch (MarketDataException ex) when (ex.Fault == MarketFault.UnknownSymbol)
        {
            return null;
        }
    }

    // Linear: oiCcy is coins, else contracts × ctVal. Inverse: oiUsd is USD, else contracts × ctVal (USD).
    private static OpenInterestPoint OpenInterest(OkxInstrument inst, DateTimeOffset at, double contracts, double coins, double usd)
    {
        if (IsInverse(inst)) return new(at, coins, double.IsNaN(usd) ? contracts * inst.CtVal : usd);
        return new(at, double.IsNaN(coins) ? contracts * inst.CtVal : coins, usd);
    }

    private async Task<OkxInstrument> InstrumentAsync(string symbol, string what, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        var instruments = await InstrumentsAsync(InstrumentsMaxAge, cancellationToken).ConfigureAwait(false);
        if (instruments.TryGetValue(symbol, out var inst)) return inst;
        instruments = await InstrumentsAsync(InstrumentsRecheck, cancellationToken).ConfigureAwait(false);
        return instruments.TryGetValue(symbol, out inst)
            ? inst
            : throw new MarketDataException(Venue, MarketFault.UnknownSymbol,
                $"{Venue.Name()} {what}: no perpetual swap '{symbol}' (OKX spells them BTC-USDT-SWAP, BTC-USD-SWAP)");
    }

    // One shared fetch per hour; callers wait on it with their own token, and a failed fetch is retried by the next call.
    private Task<IReadOnlyDictionary<string, OkxInstrument>> InstrumentsAsync(TimeSpan maxAge, CancellationToken cancellationToken)
    {
        Task<IReadOnlyDictionary<string, OkxInstrument>> task;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_instruments is not { IsFaulted: false, IsCanceled: false } || now - _instrumentsAt >= maxAge)
            {
                _instruments = FetchInstrumentsAsync();
                _instrumentsAt = now;
            }
            task = _instruments;
        }
        return task.WaitAsync(cancellationToken);
    }

    private async Task<IReadOnlyDictionary<string, OkxInstrument>> FetchInstrumentsAsync()
    {
        var venue = http.Create(Venue);
        var rows = await ListAsync(venue, "/api/v5/public/instruments?instType=SWAP", OkxJsonContext.Default.OkxEnvelopeOkxInstrument,
            "instruments", CancellationToken.None).ConfigureAwait(false);
        return ByInstId(rows.Where(r => r.InstId.Length > 0), r => r.InstId);
    }

    private async Task<List<T>> ListAsync<T>(VenueHttp venue, string pathAndQuery, JsonTypeInfo<OkxEnvelope<T>> info, string what, CancellationToken cancellationToken)
    {
        var body = await venue.GetAsync(pathAndQuery, Weight, cancellationToken).ConfigureAwait(false);
        var envelope = venue.Parse(body, info, what);
        Check(venue, envelope.Code, envelope.Msg, what);
        return envelope.Data is { } data ? [.. data.Where(d => d is not null)] : throw venue.Malformed(what, "the envelope has no data");
    }

    // code is a string; anything but "0" is an error even under HTTP 200.
    private void Check(VenueHttp venue, string? code, string? msg, string what)
    {
        if (code == "0") return;
        if (code is null) throw venue.Malformed(what, "the envelope has no code");
        if (code == RateLimitCode)
        {
            var until = venue.Limiter.Block(null);
            throw new MarketDataException(Venue, MarketFault.RateLimited,
                $"{Venue.Name()} {what}: error {code} {msg}; backing off until {until:HH:mm:ss} UTC", until - time.GetUtcNow());
        }
        throw venue.VenueError(what, code, msg, unknownSymbol: code == UnknownInstrument);
    }

    private double ContractValue(OkxInstrument inst) =>
        inst.CtVal > 0 && double.IsFinite(inst.CtVal) ? inst.CtVal : throw Absurd(inst.InstId, "instrument", $"contract value {inst.CtVal.ToString("G6", CultureInfo.InvariantCulture)} is not a positive number");

    private static bool IsInverse(OkxInstrument inst) => string.Equals(inst.CtType, "inverse", StringComparison.OrdinalIgnoreCase);

    // BTC-USDT-SWAP → BTC-USDT (the family, also the index id).
    private static string Family(OkxInstrument inst) =>
        inst.InstFamily.Length > 0 ? inst.InstFamily
        : inst.Uly.Length > 0 ? inst.Uly
        : inst.InstId.EndsWith("-SWAP", StringComparison.Ordinal) ? inst.InstId[..^5] : inst.InstId;

    private static string Quote(string family) => family.LastIndexOf('-') is var dash and >= 0 ? family[(dash + 1)..] : "USDT";

    // The spot pair beside the swap: BASE-USDT (inverse swaps quote USD, which OKX spot does not list).
    private static string SpotSymbol(OkxInstrument inst)
    {
        var family = Family(inst);
        var dash = family.IndexOf('-', StringComparison.Ordinal);
        var baseCcy = dash > 0 ? family[..dash] : family;
        var quote = Quote(family);
        return $"{baseCcy}-{(quote == "USD" ? "USDT" : quote)}";
    }

    private static Dictionary<string, T> ByInstId<T>(IEnumerable<T> rows, Func<T, string> key)
    {
        var map = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var row in rows) map.TryAdd(key(row), row);
        return map;
    }

    private static string Name((TimeSpan Span, string Name)[] names, TimeSpan value, string parameter, string message)
    {
        foreach (var (span, name) in names)
            if (span == value) return name;
        throw new ArgumentOutOfRangeException(parameter, value, message);
    }

    private void Sane(string? problem, string symbol, string what)
    {
        if (problem is not null) throw Absurd(symbol, what, problem);
    }

    private MarketDataException Absurd(string symbol, string what, string problem) =>
        new(Venue, MarketFault.Absurd, $"{Venue.Name()} {symbol} {what}: {problem}");
}
