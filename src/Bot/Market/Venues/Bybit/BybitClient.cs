using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using PerpGuard.Bot.Market.Http;
using PerpGuard.Core.Margin;
using PerpGuard.Core.Market;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Market.Venues.Bybit;

/// <summary>
/// Public market data of Bybit v5: USDT/USDC perpetuals (<c>category=linear</c>), inverse perpetuals such as
/// <c>BTCUSD</c> (<c>category=inverse</c>) and the spot pairs beside them (<c>category=spot</c>). Open interest is
/// reported one side, like the other venues; maintenance tiers come live from <c>/v5/market/risk-limit</c>.
/// </summary>
public sealed class BybitClient(VenueHttpFactory http, TimeProvider time) : IVenueClient
{
    // Bybit limits requests, not weight (600 per 5 s per IP): every call counts 1.
    private const int Weight = 1;
    // Up to this many symbols of one category are asked for one by one; beyond it the all-symbols call (one request,
    // a few hundred KB for linear) is cheaper than that many requests.
    private const int SingleTickerCallsMax = 3;
    private const int MaxRiskLimitPages = 10;

    /// <inheritdoc />
    public Venue Venue => Venue.Bybit;

    /// <inheritdoc />
    public async Task<IReadOnlyList<Ticker>> GetTickersAsync(IReadOnlyCollection<string> symbols, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        var groups = symbols.Select(Normalize).Distinct(StringComparer.Ordinal).GroupBy(CategoryOf).ToArray();
        if (groups.Length == 0) return [];
        var api = http.Create(Venue.Bybit);
        var parts = await Task.WhenAll(groups.Select(g => TickersOfCategoryAsync(api, g.Key, [.. g], cancellationToken))).ConfigureAwait(false);
        var tickers = new List<Ticker>();
        for (var i = 0; i < groups.Length; i++)
            foreach (var row in parts[i].Rows)
                tickers.Add(ToTicker(row, groups[i].Key, parts[i].Stamped));
        return tickers;
    }

    /// <inheritdoc />
    public async Task<OpenInterestPoint> GetOpenInterestAsync(string symbol, CancellationToken cancellationToken)
    {
        symbol = Normalize(symbol);
        var category = CategoryOf(symbol);
        var api = http.Create(Venue.Bybit);
        var (rows, stamped) = await TickersAsync(api, category, symbol, cancellationToken).ConfigureAwait(false);
        var row = rows.FirstOrDefault(r => r.Symbol == symbol) ?? throw UnknownSymbol(symbol, "tickers");
        if (!(row.MarkPrice > 0 && double.IsFinite(row.MarkPrice)))
            throw Absurd($"{symbol} open interest", $"mark price {Show(row.MarkPrice)} is not a positive number");
        var oneSide = OneSide(row.SingleOpenInterest, row.OpenInterest);
        var point = Point(category, stamped, oneSide, row.MarkPrice);
        return MarketSanity.Check(point) is { } problem ? throw Absurd($"{symbol} open interest", problem) : point;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="period"/> is not one Bybit keeps (5min, 15min, 30min, 1h, 4h, 1d).</exception>
    public async Task<IReadOnlyList<OpenInterestPoint>> GetOpenInterestHistoryAsync(string symbol, TimeSpan period, int limit, CancellationToken cancellationToken)
    {
        symbol = Normalize(symbol);
        var (intervalTime, klineInterval) = period.TotalMinutes switch
        {
            5 => ("5min", "5"), 15 => ("15min", "15"), 30 => ("30min", "30"), 60 => ("1h", "60"), 240 => ("4h", "240"), 1440 => ("1d", "D"),
            _ => throw new ArgumentOutOfRangeException(nameof(period), period, "Bybit keeps open-interest history at 5min, 15min, 30min, 1h, 4h and 1d."),
        };
        var category = CategoryOf(symbol);
        limit = Math.Clamp(limit, 1, 200);
        var api = http.Create(Venue.Bybit);
        var sym = Uri.EscapeDataString(symbol);
        var n = limit.ToString(CultureInfo.InvariantCulture);
        // Bybit's history carries no price: each point is valued at the mark price bar that opens at its timestamp.
        var oiTask = GetListAsync(api, $"/v5/market/open-interest?category={category}&symbol={sym}&intervalTime={intervalTime}&limit={n}",
            BybitJsonContext.Default.OpenInterest, $"{symbol} open-interest history", cancellationToken);
        var markTask = KlinesAsync(api, $"/v5/market/mark-price-kline?category={category}&symbol={sym}&interval={klineInterval}&limit={n}",
            $"{symbol} mark-price klines", cancellationToken);
        await Task.WhenAll(oiTask, markTask).ConfigureAwait(false);
        var (rows, _) = await oiTask.ConfigureAwait(false);
        var marks = (await markTask.ConfigureAwait(false)).Rows.Where(k => k.Start > 0).OrderBy(k => k.Start).ToArray();
        var points = new List<OpenInterestPoint>(rows.Length);
        foreach (var row in rows.OrderBy(r => r.Timestamp))
        {
            if (FlexibleJson.FromMs(row.Timestamp) is not { } at) throw api.Malformed($"{symbol} open-interest history", "a row has no timestamp");
            var mark = MarkAt(marks, row.Timestamp);
            if (!(mark > 0 && double.IsFinite(mark)))
                throw Absurd($"{symbol} open-interest history", $"no usable mark price at {at:u} to value it ({Show(mark)})");
            var point = Point(category, at, OneSide(row.SingleOpenInterest, row.OpenInterest), mark);
            if (MarketSanity.Check(point) is { } problem) throw Absurd($"{symbol} open-interest history", problem);
            points.Add(point);
        }
        return points;
    }

    /// <inheritdoc />
    public async Task<OrderBook> GetOrderBookAsync(string symbol, int depth, CancellationToken cancellationToken)
    {
        symbol = Normalize(symbol);
        var category = CategoryOf(symbol);
        var limit = Math.Clamp(depth, 1, category == "inverse" ? 200 : 1000);
        var api = http.Create(Venue.Bybit);
        var what = $"{symbol} order book";
        var body = await api.GetAsync($"/v5/market/orderbook?category={category}&symbol={Uri.EscapeDataString(symbol)}&limit={limit.ToString(CultureInfo.InvariantCulture)}",
            Weight, cancellationToken).ConfigureAwait(false);
        BybitRaw<(BookLevel[]? Bids, BookLevel[]? Asks, long TimeMs)> raw;
        try
        {
            raw = BybitReaders.ReadBook(body);
        }
        catch (JsonException ex)
        {
            throw api.Malformed(what, $"unreadable book ({ex.Message})", ex);
        }
        Check(api, raw.RetCode, raw.RetMsg, what);
        var (bids, asks, ts) = raw.Result;
        if (bids is null || asks is null) throw api.Malformed(what, "no bids or asks in the result");
        var book = new OrderBook(FlexibleJson.FromMs(ts) ?? FlexibleJson.FromMs(raw.Time) ?? time.GetUtcNow(),
            bids.Length > limit ? bids[..limit] : bids, asks.Length > limit ? asks[..limit] : asks);
        return MarketSanity.Check(book, out _) is { } problem ? throw Absurd(what, problem) : book;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is not a Bybit kline interval.</exception>
    public async Task<IReadOnlyList<Bar>> GetBarsAsync(string symbol, MarketKind market, TimeSpan interval, int limit, CancellationToken cancellationToken)
    {
        symbol = Normalize(symbol);
        var code = IntervalCode(interval);
        var category = CategoryOf(symbol);
        if (market == MarketKind.Spot)
        {
            symbol = SpotSymbolOf(symbol) ?? throw UnknownSymbol(symbol, "spot pair");
            category = "spot";
        }
        var api = http.Create(Venue.Bybit);
        var what = market == MarketKind.Spot ? $"{symbol} spot klines" : $"{symbol} klines";
        var (rows, _) = await KlinesAsync(api,
            $"/v5/market/kline?category={category}&symbol={Uri.EscapeDataString(symbol)}&interval={code}&limit={Math.Clamp(limit, 1, 1000).ToString(CultureInfo.InvariantCulture)}",
            what, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var bars = new List<Bar>(rows.Count);
        // Newest first on the wire; oldest first here.
        foreach (var row in rows.OrderBy(r => r.Start))
        {
            if (FlexibleJson.FromMs(row.Start) is not { } openTime) throw api.Malformed(what, "a kline has no start time");
            // Inverse volume is in USD (contracts) and turnover in coins; linear and spot the other way round.
            var (volume, quote) = category == "inverse" ? (row.Turnover, row.Volume) : (row.Volume, row.Turnover);
            var bar = new Bar
            {
                OpenTime = openTime, Interval = interval,
                Open = row.Open, High = row.High, Low = row.Low, Close = row.Close,
                Volume = volume, QuoteVolume = quote,
                Closed = openTime + interval <= now,
            };
            if (MarketSanity.Check(bar) is { } problem) throw Absurd($"{what} at {openTime:u}", problem);
            bars.Add(bar);
        }
        return bars;
    }

    /// <inheritdoc />
    public async Task<SpotTicker?> GetSpotTickerAsync(string symbol, CancellationToken cancellationToken)
    {
        if (SpotSymbolOf(Normalize(symbol)) is not { } spot) return null;
        var api = http.Create(Venue.Bybit);
        BybitTicker[] rows;
        DateTimeOffset stamped;
        try
        {
            (rows, stamped) = await TickersAsync(api, "spot", spot, cancellationToken).ConfigureAwait(false);
        }
        catch (MarketDataException ex) when (ex.Fault == MarketFault.UnknownSymbol)
        {
            return null; // No spot pair by that name.
        }
        if (rows.FirstOrDefault(r => r.Symbol == spot) is not { } row) return null;
        var ticker = new SpotTicker { Symbol = spot, Time = stamped, Price = row.LastPrice, QuoteVolume24h = row.Turnover24h };
        return MarketSanity.Check(ticker) is { } problem ? throw Absurd($"{spot} spot ticker", problem) : ticker;
    }

    /// <inheritdoc />
    public async Task<TierTable?> GetTiersAsync(string symbol, CancellationToken cancellationToken)
    {
        symbol = Normalize(symbol);
        var category = CategoryOf(symbol);
        var api = http.Create(Venue.Bybit);
        var what = $"{symbol} risk limits";
        var sym = Uri.EscapeDataString(symbol);
        // The risk-limit list carries no tick size, which a tier table needs: instruments-info has it.
        var tiersTask = RiskLimitsAsync(api, category, symbol, cancellationToken);
        var infoTask = GetListAsync(api, $"/v5/market/instruments-info?category={category}&symbol={sym}",
            BybitJsonContext.Default.Instruments, $"{symbol} instruments-info", cancellationToken);
        await Task.WhenAll(tiersTask, infoTask).ConfigureAwait(false);
        var (rows, stamped) = await tiersTask.ConfigureAwait(false);
        var (instruments, _) = await infoTask.ConfigureAwait(false);
        if (rows.Count == 0) throw UnknownSymbol(symbol, "risk-limit");
        var instrument = instruments.FirstOrDefault(i => i.Symbol == symbol) ?? throw UnknownSymbol(symbol, "instruments-info");
        var tick = instrument.PriceFilter?.TickSize ?? double.NaN;
        if (!(tick > 0 && double.IsFinite(tick))) throw Absurd(what, $"tick size {Show(tick)} is not a positive number");

        var tiers = new List<MarginTier>(rows.Count);
        var floor = 0.0;
        foreach (var r in rows.OrderBy(r => r.RiskLimitValue))
        {
            var tier = $"tier {(tiers.Count + 1).ToString(CultureInfo.InvariantCulture)}";
            if (!(r.RiskLimitValue > floor && double.IsFinite(r.RiskLimitValue)))
                throw Absurd(what, $"{tier} cap {Show(r.RiskLimitValue)} is not above the previous cap {Show(floor)}");
            if (!(r.MaxLeverage > 0 && double.IsFinite(r.MaxLeverage)))
                throw Absurd(what, $"{tier} max leverage {Show(r.MaxLeverage)} is not a positive number");
            // Maintenance must sit below the initial margin at full leverage; a rate above 1/leverage is a unit slip
            // (the old docs example wrote 0.5 for 0.5%).
            if (!(r.MaintenanceMargin >= 0 && r.MaintenanceMargin <= 1.0 / r.MaxLeverage + 1e-12))
                throw Absurd(what, $"{tier} maintenance rate {Show(r.MaintenanceMargin)} is not between 0 and 1/max leverage ({Show(1 / r.MaxLeverage)})");
            // "" on the first tier: no deduction.
            var deduction = double.IsNaN(r.MmDeduction) ? 0 : r.MmDeduction;
            if (!(deduction >= 0 && double.IsFinite(deduction))) throw Absurd(what, $"{tier} deduction {Show(deduction)} is negative or not a number");
            tiers.Add(new MarginTier(floor, r.RiskLimitValue, r.MaintenanceMargin, deduction, r.MaxLeverage));
            floor = r.RiskLimitValue;
        }
        var inverse = category == "inverse";
        if (!SymbolName.TryParse(symbol, out var baseAsset, out _)) baseAsset = symbol;
        var settle = inverse ? baseAsset : symbol.EndsWith("PERP", StringComparison.Ordinal) || symbol.EndsWith("USDC", StringComparison.Ordinal) ? "USDC" : "USDT";
        try
        {
            return new TierTable(Venue.Bybit, inverse ? ContractType.Inverse : ContractType.Linear, symbol, baseAsset, settle, TierBasis.Notional,
                inverse ? 1 : null, tick, DateOnly.FromDateTime(stamped.UtcDateTime),
                $"bybit /v5/market/risk-limit?category={category}&symbol={symbol} (live)", tiers);
        }
        catch (ArgumentException ex)
        {
            throw new MarketDataException(Venue.Bybit, MarketFault.Absurd, $"bybit {what}: {ex.Message}", null, ex);
        }
    }

    // One category's tickers: one call per symbol for a few (an unknown one is left out), else the all-symbols call.
    private async Task<(BybitTicker[] Rows, DateTimeOffset Stamped)> TickersOfCategoryAsync(VenueHttp api, string category, string[] wanted, CancellationToken cancellationToken)
    {
        if (wanted.Length <= SingleTickerCallsMax)
        {
            var singles = await Task.WhenAll(wanted.Select(async s =>
            {
                try
                {
                    return await TickersAsync(api, category, s, cancellationToken).ConfigureAwait(false);
                }
                catch (MarketDataException ex) when (ex.Fault == MarketFault.UnknownSymbol)
                {
                    return ([], DateTimeOffset.MinValue);
                }
            })).ConfigureAwait(false);
            var stamped = singles.Select(x => x.Stamped).DefaultIfEmpty(DateTimeOffset.MinValue).Max();
            return ([.. singles.SelectMany(x => x.Rows).Where(r => wanted.Contains(r.Symbol))], stamped);
        }
        var (all, at) = await TickersAsync(api, category, null, cancellationToken).ConfigureAwait(false);
        var set = wanted.ToHashSet(StringComparer.Ordinal);
        return ([.. all.Where(r => r.Symbol is { } s && set.Contains(s)).DistinctBy(r => r.Symbol)], at);
    }

    private Task<(BybitTicker[] Rows, DateTimeOffset Stamped)> TickersAsync(VenueHttp api, string category, string? symbol, CancellationToken cancellationToken) =>
        GetListAsync(api, $"/v5/market/tickers?category={category}{(symbol is null ? "" : "&symbol=" + Uri.EscapeDataString(symbol))}",
            BybitJsonContext.Default.Tickers, $"{symbol ?? category} tickers", cancellationToken);

    private async Task<(List<BybitRiskLimit> Rows, DateTimeOffset Stamped)> RiskLimitsAsync(VenueHttp api, string category, string symbol, CancellationToken cancellationToken)
    {
        var rows = new List<BybitRiskLimit>();
        var stamped = DateTimeOffset.MinValue;
        string? cursor = null;
        // With a symbol Bybit answers every tier at once; follow the cursor anyway, a bounded number of times.
        for (var page = 0; page < MaxRiskLimitPages; page++)
        {
            var path = $"/v5/market/risk-limit?category={category}&symbol={Uri.EscapeDataString(symbol)}"
                + (string.IsNullOrEmpty(cursor) ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var body = await api.GetAsync(path, Weight, cancellationToken).ConfigureAwait(false);
            var envelope = api.Parse(body, BybitJsonContext.Default.RiskLimits, $"{symbol} risk limits");
            var result = Unwrap(api, envelope, $"{symbol} risk limits");
            if (page == 0) stamped = FlexibleJson.FromMs(envelope.Time) ?? time.GetUtcNow();
            rows.AddRange((result.List ?? []).Where(r => r.Symbol is null || r.Symbol == symbol));
            cursor = result.NextPageCursor;
            if (string.IsNullOrEmpty(cursor)) break;
        }
        return (rows, stamped);
    }

    private async Task<(T[] Rows, DateTimeOffset Stamped)> GetListAsync<T>(VenueHttp api, string pathAndQuery,
        JsonTypeInfo<BybitEnvelope<BybitList<T>>> info, string what, CancellationToken cancellationToken)
    {
        var body = await api.GetAsync(pathAndQuery, Weight, cancellationToken).ConfigureAwait(false);
        var envelope = api.Parse(body, info, what);
        var result = Unwrap(api, envelope, what);
        return (result.List ?? [], FlexibleJson.FromMs(envelope.Time) ?? time.GetUtcNow());
    }

    private static async Task<(List<BybitKline> Rows, long Time)> KlinesAsync(VenueHttp api, string pathAndQuery, string what, CancellationToken cancellationToken)
    {
        var body = await api.GetAsync(pathAndQuery, Weight, cancellationToken).ConfigureAwait(false);
        BybitRaw<List<BybitKline>?> raw;
        try
        {
            raw = BybitReaders.ReadKlines(body);
        }
        catch (JsonException ex)
        {
            throw api.Malformed(what, $"unreadable klines ({ex.Message})", ex);
        }
        Check(api, raw.RetCode, raw.RetMsg, what);
        return (raw.Result ?? throw api.Malformed(what, "no kline list in the result"), raw.Time);
    }

    private static T Unwrap<T>(VenueHttp api, BybitEnvelope<T> envelope, string what) where T : class
    {
        Check(api, envelope.RetCode, envelope.RetMsg, what);
        return envelope.Result ?? throw api.Malformed(what, "retCode 0 but no result");
    }

    // Bybit answers its errors inside HTTP 200. 10001 is "params error": our own parameters are fixed and checked, so in
    // practice it names the symbol (Bybit says "symbol invalid" / "Not supported symbols"); 10029 is a symbol not allowed.
    private static void Check(VenueHttp api, long retCode, string? retMsg, string what)
    {
        if (retCode == 0) return;
        if (retCode == long.MinValue) throw api.Malformed(what, "not a Bybit answer (no retCode)");
        var unknown = retCode is 10001 or 10029 || (retMsg?.Contains("symbol invalid", StringComparison.OrdinalIgnoreCase) ?? false);
        throw api.VenueError(what, retCode.ToString(CultureInfo.InvariantCulture), retMsg, unknown);
    }

    private static Ticker ToTicker(BybitTicker row, string category, DateTimeOffset stamped)
    {
        var inverse = category == "inverse";
        var oneSide = OneSide(row.SingleOpenInterest, row.OpenInterest);
        var ticker = new Ticker
        {
            Symbol = row.Symbol!,
            Time = stamped,
            Mark = row.MarkPrice,
            Index = row.IndexPrice,
            Last = row.LastPrice,
            FundingRate = row.FundingRate,
            // Missing on old answers: unknown rather than a guessed 8 h (Bybit lists 1, 2, 4 and 8 h symbols).
            FundingIntervalHours = row.FundingIntervalHour,
            NextFunding = FlexibleJson.FromMs(row.NextFundingTime),
            // Inverse: volume24h is USD (contracts) and turnover24h coins; linear the other way round.
            Volume24h = inverse ? row.Turnover24h : row.Volume24h,
            QuoteVolume24h = inverse ? row.Volume24h : row.Turnover24h,
            OpenInterest = inverse ? oneSide / row.MarkPrice : oneSide,
        };
        return MarketSanity.Check(ticker) is { } problem ? throw Absurd($"{ticker.Symbol} ticker", problem) : ticker;
    }

    // Bybit's openInterest is documented as the sum of both sides; singleOpenInterest (added 2026-06) is one side, which
    // is what the other venues report. Prefer it; without it, half the sum.
    private static double OneSide(double single, double both) => double.IsNaN(single) ? both / 2 : single;

    // Linear open interest is in coins; inverse in USD (one contract = 1 USD).
    private static OpenInterestPoint Point(string category, DateTimeOffset at, double oneSide, double mark) =>
        category == "inverse" ? new(at, oneSide / mark, oneSide) : new(at, oneSide, oneSide * mark);

    // The open of the mark bar starting at the timestamp, else of the latest bar before it, else of the first bar.
    private static double MarkAt(BybitKline[] marks, long timestamp)
    {
        if (marks.Length == 0) return double.NaN;
        var best = marks[0];
        foreach (var k in marks)
        {
            if (k.Start > timestamp) break;
            best = k;
        }
        return best.Open;
    }

    // Linear (USDT, USDC) or inverse (BTCUSD): the same string can exist in several categories, the parameter picks.
    private static string CategoryOf(string symbol) =>
        VenueSymbols.TryResolve(Venue.Bybit, symbol, out var instrument) && instrument.Contract == ContractType.Inverse ? "inverse" : "linear";

    private static string? SpotSymbolOf(string symbol) =>
        VenueSymbols.TryResolve(Venue.Bybit, symbol, out var instrument) ? instrument.SpotSymbol : null;

    private static string IntervalCode(TimeSpan interval) => interval.TotalMinutes switch
    {
        1 => "1", 3 => "3", 5 => "5", 15 => "15", 30 => "30", 60 => "60", 120 => "120", 240 => "240", 360 => "360", 720 => "720",
        1440 => "D", 10080 => "W",
        _ => throw new ArgumentOutOfRangeException(nameof(interval), interval, "Not a Bybit kline interval (1m … 1w)."),
    };

    private static string Normalize(string symbol)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        return symbol.Trim().ToUpperInvariant();
    }

    private static MarketDataException UnknownSymbol(string symbol, string what) =>
        new(Venue.Bybit, MarketFault.UnknownSymbol, $"bybit {symbol} {what}: the symbol is not listed");

    private static MarketDataException Absurd(string what, string problem) =>
        new(Venue.Bybit, MarketFault.Absurd, $"bybit {what}: {problem}");

    private static string Show(double x) => x.ToString("G6", CultureInfo.InvariantCulture);
}
