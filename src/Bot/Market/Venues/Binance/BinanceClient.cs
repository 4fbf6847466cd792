using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using PerpGuard.Bot.Market.Http;
using PerpGuard.Core.Margin;
using PerpGuard.Core.Market;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Market.Venues.Binance;

/// <summary>
/// Public market data of Binance USDⓈ-M futures (<c>/fapi</c>) and of the spot pairs beside them (<c>/api/v3</c> on the
/// spot host). No API key: maintenance tiers (<c>leverageBracket</c>) are signed, so <see cref="GetTiersAsync"/> returns
/// null and the shipped table applies.
/// </summary>
public sealed class BinanceClient(VenueHttpFactory http, TimeProvider time) : IVenueClient
{
    // Request weights from the Binance docs (premiumIndex: 1 with a symbol, 10 without; 24hr: 1 / 40).
    private const int PremiumIndexWeight = 1, PremiumIndexAllWeight = 10;
    private const int Ticker24hWeight = 1, Ticker24hAllWeight = 40;
    private const int OpenInterestWeight = 1;
    // fundingInfo and the /futures/data statistics weigh 0 but have their own per-IP counts (500 and 1000 per 5 min),
    // far above what one cached call an hour and a history poll use.
    private const int FundingInfoWeight = 0, StatisticsWeight = 0;
    private const int SpotKlinesWeight = 2, SpotTicker24hWeight = 2;
    private const double DefaultFundingHours = 8;
    private const long InvalidSymbolCode = -1121;

    private static readonly int[] DepthLimits = [5, 10, 20, 50, 100, 500, 1000];
    private static readonly TimeSpan FundingInfoMaxAge = TimeSpan.FromHours(1);

    private readonly Lock _fundingGate = new();
    private FundingIntervals? _fundingIntervals;

    /// <inheritdoc />
    public Venue Venue => Venue.Binance;

    /// <inheritdoc />
    public async Task<IReadOnlyList<Ticker>> GetTickersAsync(IReadOnlyCollection<string> symbols, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        var wanted = symbols.Select(Normalize).Distinct(StringComparer.Ordinal).ToArray();
        if (wanted.Length == 0) return [];
        var api = http.Create(Venue.Binance);
        var marksTask = MarksAsync(api, wanted, cancellationToken);
        var intervalsTask = FundingIntervalsAsync(api, cancellationToken);
        await Task.WhenAll(marksTask, intervalsTask).ConfigureAwait(false);
        var marks = await marksTask.ConfigureAwait(false);
        if (marks.Length == 0) return [];

        var listed = marks.Select(m => m.Symbol!).ToArray();
        var dailies = await DailiesAsync(api, listed, cancellationToken).ConfigureAwait(false);
        var intervals = await intervalsTask.ConfigureAwait(false);
        var now = time.GetUtcNow();
        var tickers = new List<Ticker>(marks.Length);
        foreach (var m in marks)
        {
            var daily = dailies.GetValueOrDefault(m.Symbol!);
            var ticker = new Ticker
            {
                Symbol = m.Symbol!,
                Time = FlexibleJson.FromMs(m.Time) ?? now,
                Mark = m.MarkPrice,
                Index = m.IndexPrice,
                Last = daily?.LastPrice ?? double.NaN,
                FundingRate = m.LastFundingRate,
                FundingIntervalHours = intervals.HoursOf(m.Symbol!),
                NextFunding = FlexibleJson.FromMs(m.NextFundingTime),
                Volume24h = daily?.Volume ?? double.NaN,
                QuoteVolume24h = daily?.QuoteVolume ?? double.NaN,
            };
            if (MarketSanity.Check(ticker) is { } problem) throw Absurd($"{ticker.Symbol} ticker", problem);
            tickers.Add(ticker);
        }
        return tickers;
    }

    /// <inheritdoc />
    public async Task<OpenInterestPoint> GetOpenInterestAsync(string symbol, CancellationToken cancellationToken)
    {
        symbol = Normalize(symbol);
        var api = http.Create(Venue.Binance);
        // Binance counts one side (every contract has a long and a short); OI is in coins, valued at the mark.
        var oiTask = Send(api, $"/fapi/v1/openInterest?symbol={Q(symbol)}", OpenInterestWeight, "openInterest", cancellationToken);
        var markTask = Send(api, $"/fapi/v1/premiumIndex?symbol={Q(symbol)}", PremiumIndexWeight, "premiumIndex", cancellationToken);
        await Task.WhenAll(oiTask, markTask).ConfigureAwait(false);
        var oi = api.Parse(await oiTask.ConfigureAwait(false), BinanceJsonContext.Default.BinanceOpenInterest, "openInterest");
        var mark = api.Parse(await markTask.ConfigureAwait(false), BinanceJsonContext.Default.BinancePremiumIndex, "premiumIndex");
        if (!(mark.MarkPrice > 0 && double.IsFinite(mark.MarkPrice)))
            throw Absurd($"{symbol} open interest", $"mark price {Show(mark.MarkPrice)} is not a positive number");
        var point = new OpenInterestPoint(FlexibleJson.FromMs(oi.Time) ?? time.GetUtcNow(), oi.OpenInterest, oi.OpenInterest * mark.MarkPrice);
        return MarketSanity.Check(point) is { } problem ? throw Absurd($"{symbol} open interest", problem) : point;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="period"/> is not one Binance keeps (5m, 15m, 30m, 1h, 2h, 4h, 6h, 12h, 1d).</exception>
    public async Task<IReadOnlyList<OpenInterestPoint>> GetOpenInterestHistoryAsync(string symbol, TimeSpan period, int limit, CancellationToken cancellationToken)
    {
        symbol = Normalize(symbol);
        var code = period.TotalMinutes switch
        {
            5 => "5m", 15 => "15m", 30 => "30m", 60 => "1h", 120 => "2h", 240 => "4h", 360 => "6h", 720 => "12h", 1440 => "1d",
            _ => throw new ArgumentOutOfRangeException(nameof(period), period, "Binance keeps open-interest history at 5m, 15m, 30m, 1h, 2h, 4h, 6h, 12h and 1d."),
        };
        var api = http.Create(Venue.Binance);
        var body = await Send(api, $"/futures/data/openInterestHist?symbol={Q(symbol)}&period={code}&limit={Math.Clamp(limit, 1, 500).ToString(CultureInfo.InvariantCulture)}",
            StatisticsWeight, "openInterestHist", cancellationToken).ConfigureAwait(false);
        var rows = api.Parse(body, BinanceJsonContext.Default.BinanceOpenInterestHistArray, "openInterestHist");
        var points = new List<OpenInterestPoint>(rows.Length);
        foreach (var row in rows.OrderBy(r => r.Timestamp))
        {
            if (FlexibleJson.FromMs(row.Timestamp) is not { } at) throw api.Malformed("openInterestHist", "a row has no timestamp");
            var point = new OpenInterestPoint(at, row.SumOpenInterest, row.SumOpenInterestValue);
            if (MarketSanity.Check(point) is { } problem) throw Absurd($"{symbol} open-interest history", problem);
            points.Add(point);
        }
        return points;
    }

    /// <inheritdoc />
    public async Task<OrderBook> GetOrderBookAsync(string symbol, int depth, CancellationToken cancellationToken)
    {
        symbol = Normalize(symbol);
        // Binance serves only these sizes; ask for the smallest that covers the request.
        var limit = DepthLimits.FirstOrDefault(l => l >= depth, DepthLimits[^1]);
        var weight = limit switch { <= 50 => 2, 100 => 5, 500 => 10, _ => 20 };
        var api = http.Create(Venue.Binance);
        var body = await Send(api, $"/fapi/v1/depth?symbol={Q(symbol)}&limit={limit.ToString(CultureInfo.InvariantCulture)}", weight, "depth", cancellationToken).ConfigureAwait(false);
        (BookLevel[] Bids, BookLevel[] Asks, long TimeMs) raw;
        try
        {
            raw = BinanceReaders.ReadDepth(body);
        }
        catch (JsonException ex)
        {
            throw api.Malformed($"{symbol} depth", $"unreadable book ({ex.Message})", ex);
        }
        var keep = Math.Max(depth, 1);
        var book = new OrderBook(FlexibleJson.FromMs(raw.TimeMs) ?? time.GetUtcNow(),
            raw.Bids.Length > keep ? raw.Bids[..keep] : raw.Bids, raw.Asks.Length > keep ? raw.Asks[..keep] : raw.Asks);
        return MarketSanity.Check(book, out _) is { } problem ? throw Absurd($"{symbol} order book", problem) : book;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is not a Binance kline interval.</exception>
    public async Task<IReadOnlyList<Bar>> GetBarsAsync(string symbol, MarketKind market, TimeSpan interval, int limit, CancellationToken cancellationToken)
    {
        symbol = Normalize(symbol);
        var code = IntervalCode(interval);
        VenueHttp api;
        string path, what;
        int weight;
        if (market == MarketKind.Spot)
        {
            var spot = SpotSymbolOf(symbol) ?? throw new MarketDataException(Venue.Binance, MarketFault.UnknownSymbol, $"binance {symbol}: no spot pair");
            limit = Math.Clamp(limit, 1, 1000);
            api = http.Create(Venue.Binance, spot: true);
            path = $"/api/v3/klines?symbol={Q(spot)}&interval={code}&limit={limit.ToString(CultureInfo.InvariantCulture)}";
            (weight, what, symbol) = (SpotKlinesWeight, "spot klines", spot);
        }
        else
        {
            limit = Math.Clamp(limit, 1, 1500);
            api = http.Create(Venue.Binance);
            path = $"/fapi/v1/klines?symbol={Q(symbol)}&interval={code}&limit={limit.ToString(CultureInfo.InvariantCulture)}";
            weight = limit switch { < 100 => 1, < 500 => 2, <= 1000 => 5, _ => 10 };
            what = "klines";
        }
        var body = await Send(api, path, weight, what, cancellationToken).ConfigureAwait(false);
        List<KlineRow> rows;
        try
        {
            rows = BinanceReaders.ReadKlines(body);
        }
        catch (JsonException ex)
        {
            throw api.Malformed($"{symbol} {what}", $"unreadable klines ({ex.Message})", ex);
        }
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        var bars = new List<Bar>(rows.Count);
        foreach (var row in rows)
        {
            if (FlexibleJson.FromMs(row.OpenTime) is not { } openTime) throw api.Malformed($"{symbol} {what}", "a kline has no open time");
            var bar = new Bar
            {
                OpenTime = openTime, Interval = interval,
                Open = row.Open, High = row.High, Low = row.Low, Close = row.Close, Volume = row.Volume,
                QuoteVolume = row.QuoteVolume, TakerBuyVolume = row.TakerBuyVolume,
                // closeTime is the bar's last millisecond; a bar still forming has it in the future.
                Closed = (row.CloseTime > 0 ? row.CloseTime : row.OpenTime + (long)interval.TotalMilliseconds - 1) <= nowMs,
            };
            if (MarketSanity.Check(bar) is { } problem) throw Absurd($"{symbol} {what} at {openTime:u}", problem);
            bars.Add(bar);
        }
        bars.Sort((a, b) => a.OpenTime.CompareTo(b.OpenTime));
        return bars;
    }

    /// <inheritdoc />
    public async Task<SpotTicker?> GetSpotTickerAsync(string symbol, CancellationToken cancellationToken)
    {
        if (SpotSymbolOf(Normalize(symbol)) is not { } spot) return null;
        var api = http.Create(Venue.Binance, spot: true);
        byte[] body;
        try
        {
            body = await api.GetAsync($"/api/v3/ticker/24hr?symbol={Q(spot)}", SpotTicker24hWeight, cancellationToken).ConfigureAwait(false);
        }
        catch (MarketDataException ex) when (Translate(ex, "spot ticker").Fault == MarketFault.UnknownSymbol)
        {
            return null; // No spot pair by that name (many small perps trade only as perps).
        }
        catch (MarketDataException ex)
        {
            throw Translate(ex, "spot ticker");
        }
        var daily = api.Parse(body, BinanceJsonContext.Default.BinanceTicker24h, "spot ticker");
        var ticker = new SpotTicker
        {
            Symbol = daily.Symbol ?? spot, Time = FlexibleJson.FromMs(daily.CloseTime) ?? time.GetUtcNow(),
            Price = daily.LastPrice, QuoteVolume24h = daily.QuoteVolume,
        };
        return MarketSanity.Check(ticker) is { } problem ? throw Absurd($"{spot} spot ticker", problem) : ticker;
    }

    /// <summary>Always null: Binance publishes its brackets only on a signed endpoint; the shipped table applies.</summary>
    public Task<TierTable?> GetTiersAsync(string symbol, CancellationToken cancellationToken) => Task.FromResult<TierTable?>(null);

    // Mark, index and funding: the symbol's own call for one symbol, the all-symbols call (weight 10) for more.
    private static async Task<BinancePremiumIndex[]> MarksAsync(VenueHttp api, string[] wanted, CancellationToken cancellationToken)
    {
        if (wanted.Length == 1)
        {
            try
            {
                var body = await api.GetAsync($"/fapi/v1/premiumIndex?symbol={Q(wanted[0])}", PremiumIndexWeight, cancellationToken).ConfigureAwait(false);
                var one = api.Parse(body, BinanceJsonContext.Default.BinancePremiumIndex, "premiumIndex");
                return [new BinancePremiumIndex
                {
                    Symbol = one.Symbol ?? wanted[0], MarkPrice = one.MarkPrice, IndexPrice = one.IndexPrice,
                    LastFundingRate = one.LastFundingRate, NextFundingTime = one.NextFundingTime, Time = one.Time,
                }];
            }
            catch (MarketDataException ex) when (Translate(ex, "premiumIndex").Fault == MarketFault.UnknownSymbol)
            {
                return []; // Not listed: left out of the result, as the contract says.
            }
            catch (MarketDataException ex)
            {
                throw Translate(ex, "premiumIndex");
            }
        }
        var all = await Send(api, "/fapi/v1/premiumIndex", PremiumIndexAllWeight, "premiumIndex", cancellationToken).ConfigureAwait(false);
        var wantedSet = wanted.ToHashSet(StringComparer.Ordinal);
        return [.. api.Parse(all, BinanceJsonContext.Default.BinancePremiumIndexArray, "premiumIndex")
            .Where(m => m.Symbol is { } s && wantedSet.Contains(s)).DistinctBy(m => m.Symbol)];
    }

    // 24 h volume and last price: one call per symbol while that weighs less than the bulk call (40), else the bulk call.
    private static async Task<Dictionary<string, BinanceTicker24h>> DailiesAsync(VenueHttp api, string[] listed, CancellationToken cancellationToken)
    {
        if (listed.Length * Ticker24hWeight >= Ticker24hAllWeight)
        {
            var body = await Send(api, "/fapi/v1/ticker/24hr", Ticker24hAllWeight, "ticker/24hr", cancellationToken).ConfigureAwait(false);
            var all = api.Parse(body, BinanceJsonContext.Default.BinanceTicker24hArray, "ticker/24hr");
            var wanted = listed.ToHashSet(StringComparer.Ordinal);
            return all.Where(t => t.Symbol is { } s && wanted.Contains(s)).DistinctBy(t => t.Symbol).ToDictionary(t => t.Symbol!, StringComparer.Ordinal);
        }
        var singles = await Task.WhenAll(listed.Select(s => DailyAsync(api, s, cancellationToken))).ConfigureAwait(false);
        return singles.Where(t => t is not null).ToDictionary(t => t!.Symbol ?? "", t => t!, StringComparer.Ordinal);
    }

    private static async Task<BinanceTicker24h?> DailyAsync(VenueHttp api, string symbol, CancellationToken cancellationToken)
    {
        try
        {
            var body = await api.GetAsync($"/fapi/v1/ticker/24hr?symbol={Q(symbol)}", Ticker24hWeight, cancellationToken).ConfigureAwait(false);
            var daily = api.Parse(body, BinanceJsonContext.Default.BinanceTicker24h, "ticker/24hr");
            return new BinanceTicker24h { Symbol = symbol, LastPrice = daily.LastPrice, Volume = daily.Volume, QuoteVolume = daily.QuoteVolume, CloseTime = daily.CloseTime };
        }
        catch (MarketDataException ex) when (Translate(ex, "ticker/24hr").Fault == MarketFault.UnknownSymbol)
        {
            return null; // Has a mark but no trading day (settling or just listed): last and volume stay unknown.
        }
        catch (MarketDataException ex)
        {
            throw Translate(ex, "ticker/24hr");
        }
    }

    // Only symbols with a non-default interval are listed; the rest settle every 8 h. The list changes rarely, so it is
    // cached for an hour, and a failed refresh keeps the previous list rather than failing every ticker.
    private async Task<FundingIntervals> FundingIntervalsAsync(VenueHttp api, CancellationToken cancellationToken)
    {
        FundingIntervals? cached;
        lock (_fundingGate) cached = _fundingIntervals;
        var now = time.GetUtcNow();
        if (cached is not null && now - cached.Fetched < FundingInfoMaxAge) return cached;
        try
        {
            var body = await Send(api, "/fapi/v1/fundingInfo", FundingInfoWeight, "fundingInfo", cancellationToken).ConfigureAwait(false);
            var rows = api.Parse(body, BinanceJsonContext.Default.BinanceFundingInfoArray, "fundingInfo");
            var map = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var row in rows)
                if (row.Symbol is { } s && row.FundingIntervalHours is > 0 and <= 24) map[s] = row.FundingIntervalHours;
            var fresh = new FundingIntervals(now, map.ToFrozenDictionary(StringComparer.Ordinal));
            lock (_fundingGate) _fundingIntervals = fresh;
            return fresh;
        }
        catch (MarketDataException) when (cached is not null)
        {
            return cached;
        }
    }

    // Every request that has no "unknown symbol means absent" meaning: a -1121 becomes UnknownSymbol.
    private static async Task<byte[]> Send(VenueHttp api, string pathAndQuery, int weight, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await api.GetAsync(pathAndQuery, weight, cancellationToken).ConfigureAwait(false);
        }
        catch (MarketDataException ex)
        {
            throw Translate(ex, what);
        }
    }

    // VenueHttp reports a 4xx JSON body as VenueError and keeps the body; Binance's is
    // {"code":-1121,"msg":"Invalid symbol."}. Read the code to tell an unknown symbol from other errors.
    private static MarketDataException Translate(MarketDataException ex, string what)
    {
        if (ex.Fault != MarketFault.VenueError || ex.Body is null || !TryReadError(ex.Body, out var code, out var msg)) return ex;
        return code == InvalidSymbolCode
            ? new MarketDataException(Venue.Binance, MarketFault.UnknownSymbol, $"binance {what}: error {code.ToString(CultureInfo.InvariantCulture)} {msg}".TrimEnd(), null, ex)
            : ex;
    }

    internal static bool TryReadError(string text, out long code, out string? msg)
    {
        code = 0; msg = null;
        var start = text.IndexOf("{\"code\"", StringComparison.Ordinal);
        var end = text.LastIndexOf('}');
        if (start < 0 || end < start) return false;
        try
        {
            using var doc = JsonDocument.Parse(text.AsMemory(start, end - start + 1));
            if (!doc.RootElement.TryGetProperty("code", out var c) || !c.TryGetInt64(out code)) return false;
            msg = doc.RootElement.TryGetProperty("msg", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? SpotSymbolOf(string symbol) =>
        VenueSymbols.TryResolve(Venue.Binance, symbol, out var instrument) && instrument.Contract == ContractType.Linear ? instrument.SpotSymbol : null;

    private static string IntervalCode(TimeSpan interval) => interval.TotalMinutes switch
    {
        1 => "1m", 3 => "3m", 5 => "5m", 15 => "15m", 30 => "30m", 60 => "1h", 120 => "2h", 240 => "4h", 360 => "6h",
        480 => "8h", 720 => "12h", 1440 => "1d", 4320 => "3d", 10080 => "1w",
        _ => throw new ArgumentOutOfRangeException(nameof(interval), interval, "Not a Binance kline interval (1m … 1w)."),
    };

    private static string Normalize(string symbol)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        return symbol.Trim().ToUpperInvariant();
    }

    private static string Q(string value) => Uri.EscapeDataString(value);

    private static MarketDataException Absurd(string what, string problem) =>
        new(Venue.Binance, MarketFault.Absurd, $"binance {what}: {problem}");

    private static string Show(double x) => x.ToString("G6", CultureInfo.InvariantCulture);

    private sealed record FundingIntervals(DateTimeOffset Fetched, FrozenDictionary<string, double> Hours)
    {
        public double HoursOf(string symbol) => Hours.TryGetValue(symbol, out var h) ? h : DefaultFundingHours;
    }
}
