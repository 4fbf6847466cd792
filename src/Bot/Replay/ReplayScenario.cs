using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using PerpGuard.Bot.Market.Http;
using PerpGuard.Core.Market;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Replay;

/// <summary>What a scenario says about itself (its first line).</summary>
/// <param name="Name">Short name (<c>oct10-flush</c>).</param>
/// <param name="Title">One line for people.</param>
/// <param name="Built">How the file was made.</param>
/// <param name="Follows">The public figures it follows, with sources.</param>
/// <param name="Start">First event.</param>
/// <param name="PlayFrom">Events before this are history, loaded at once; from here on they play at the speed factor.</param>
/// <param name="End">Last event.</param>
public sealed record ReplayHeader(string Name, string Title, string Built, IReadOnlyList<string> Follows, DateTimeOffset Start, DateTimeOffset PlayFrom, DateTimeOffset End);

/// <summary>One timestamped piece of market data in a scenario.</summary>
public abstract record ReplayEvent(DateTimeOffset At, MarketKey Key);
/// <summary>A ticker.</summary>
public sealed record TickerEvent(DateTimeOffset At, MarketKey Key, Ticker Ticker) : ReplayEvent(At, Key);
/// <summary>A spot ticker.</summary>
public sealed record SpotEvent(DateTimeOffset At, MarketKey Key, SpotTicker Spot) : ReplayEvent(At, Key);
/// <summary>An open-interest point.</summary>
public sealed record OpenInterestEvent(DateTimeOffset At, MarketKey Key, OpenInterestPoint Point) : ReplayEvent(At, Key);
/// <summary>A closed bar (delivered at its close).</summary>
public sealed record BarEvent(DateTimeOffset At, MarketKey Key, MarketKind Market, Bar Bar) : ReplayEvent(At, Key);
/// <summary>A book summary.</summary>
public sealed record BookEvent(DateTimeOffset At, MarketKey Key, DepthSummary Summary) : ReplayEvent(At, Key);

/// <summary>A scenario file that cannot be played: says which line and what is wrong.</summary>
public sealed class ReplayFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ReplayFormatException(string message) : base(message) { }
    /// <summary>Creates the exception.</summary>
    public ReplayFormatException() : base("The replay scenario is not valid.") { }
    /// <summary>Creates the exception.</summary>
    public ReplayFormatException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// A market scenario as JSON Lines: a header line, then timestamped tickers, spot tickers, open interest, bars and
/// book summaries in time order (format: README, Replay). Built-in scenarios ship inside the executable; any file in
/// the same format plays too.
/// </summary>
public sealed class ReplayScenario
{
    private const string ResourcePrefix = "PerpGuard.Bot.Replay.Scenarios.";

    private ReplayScenario(ReplayHeader header, IReadOnlyList<ReplayEvent> events) { Header = header; Events = events; }

    /// <summary>The header.</summary>
    public ReplayHeader Header { get; }
    /// <summary>Events in time order.</summary>
    public IReadOnlyList<ReplayEvent> Events { get; }

    /// <summary>Names of the scenarios built into the executable.</summary>
    public static IReadOnlyList<string> BuiltIn { get; } =
        [.. typeof(ReplayScenario).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".jsonl", StringComparison.Ordinal))
            .Select(n => n[ResourcePrefix.Length..^".jsonl".Length]).Order(StringComparer.Ordinal)];

    /// <summary>Loads a built-in scenario by name, or a file by path.</summary>
    /// <exception cref="ReplayFormatException">Unknown name, unreadable file, or a bad line.</exception>
    public static ReplayScenario Load(string nameOrPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrPath);
        var resource = typeof(ReplayScenario).Assembly.GetManifestResourceStream(ResourcePrefix + nameOrPath + ".jsonl");
        if (resource is not null)
        {
            using var reader = new StreamReader(resource);
            return Parse(reader, nameOrPath);
        }
        if (!File.Exists(nameOrPath))
            throw new ReplayFormatException($"'{nameOrPath}' is neither a built-in scenario ({string.Join(", ", BuiltIn)}) nor a file.");
        try
        {
            using var reader = new StreamReader(nameOrPath);
            return Parse(reader, Path.GetFileName(nameOrPath));
        }
        catch (IOException ex)
        {
            throw new ReplayFormatException($"{nameOrPath}: {ex.Message}", ex);
        }
    }

    /// <summary>Parses a scenario; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="ReplayFormatException">A line that is not valid, naming the line and the problem.</exception>
    public static ReplayScenario Parse(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ReplayHeader? header = null;
        var events = new List<ReplayEvent>();
        var number = 0;
        var previous = DateTimeOffset.MinValue;
        while (reader.ReadLine() is { } text)
        {
            number++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            ReplayLine line;
            try
            {
                line = JsonSerializer.Deserialize(text, ReplayJsonContext.Default.ReplayLine) ?? throw new JsonException("null");
            }
            catch (JsonException ex)
            {
                throw new ReplayFormatException($"{source} line {number}: not a JSON object ({ex.Message})", ex);
            }
            try
            {
                if (header is null)
                {
                    if (line.Type != "header") throw new FormatException("the first line must be the header ({\"type\":\"header\",...})");
                    header = line.ToHeader();
                    continue;
                }
                var e = line.ToEvent();
                if (e.At < previous) throw new FormatException($"t {e.At:u} is earlier than the line before ({previous:u}); lines must be in time order");
                previous = e.At;
                events.Add(e);
            }
            catch (FormatException ex)
            {
                throw new ReplayFormatException($"{source} line {number}: {ex.Message}", ex);
            }
        }
        if (header is null) throw new ReplayFormatException($"{source}: empty (no header line)");
        return new ReplayScenario(header, events);
    }
}

/// <summary>One line of a scenario file: the union of every record type's fields.</summary>
internal sealed class ReplayLine
{
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("t")] public string? T { get; set; }
    [JsonPropertyName("venue")] public string? Venue { get; set; }
    [JsonPropertyName("symbol")] public string? Symbol { get; set; }
    // header
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("title")] public string? Title { get; set; }
    [JsonPropertyName("built")] public string? Built { get; set; }
    [JsonPropertyName("follows")] public List<string>? Follows { get; set; }
    [JsonPropertyName("start")] public string? Start { get; set; }
    [JsonPropertyName("playFrom")] public string? PlayFrom { get; set; }
    [JsonPropertyName("end")] public string? End { get; set; }
    // ticker
    [JsonPropertyName("mark")] public double? Mark { get; set; }
    [JsonPropertyName("index")] public double? Index { get; set; }
    [JsonPropertyName("last")] public double? Last { get; set; }
    [JsonPropertyName("funding")] public double? Funding { get; set; }
    [JsonPropertyName("fundingHours")] public double? FundingHours { get; set; }
    [JsonPropertyName("nextFunding")] public string? NextFunding { get; set; }
    [JsonPropertyName("volume24h")] public double? Volume24h { get; set; }
    [JsonPropertyName("quoteVolume24h")] public double? QuoteVolume24h { get; set; }
    [JsonPropertyName("oi")] public double? Oi { get; set; }
    // spot
    [JsonPropertyName("spotSymbol")] public string? SpotSymbol { get; set; }
    [JsonPropertyName("price")] public double? Price { get; set; }
    // open interest
    [JsonPropertyName("coins")] public double? Coins { get; set; }
    [JsonPropertyName("usd")] public double? Usd { get; set; }
    // bar
    [JsonPropertyName("market")] public string? Market { get; set; }
    [JsonPropertyName("open")] public string? Open { get; set; }
    [JsonPropertyName("interval")] public string? Interval { get; set; }
    [JsonPropertyName("o")] public double? O { get; set; }
    [JsonPropertyName("h")] public double? H { get; set; }
    [JsonPropertyName("l")] public double? L { get; set; }
    [JsonPropertyName("c")] public double? C { get; set; }
    [JsonPropertyName("v")] public double? V { get; set; }
    [JsonPropertyName("qv")] public double? Qv { get; set; }
    [JsonPropertyName("tb")] public double? Tb { get; set; }
    [JsonPropertyName("closed")] public bool? Closed { get; set; }
    // book
    [JsonPropertyName("bestBid")] public double? BestBid { get; set; }
    [JsonPropertyName("bestAsk")] public double? BestAsk { get; set; }
    [JsonPropertyName("bidUsd")] public double[]? BidUsd { get; set; }
    [JsonPropertyName("askUsd")] public double[]? AskUsd { get; set; }
    [JsonPropertyName("reach")] public double? Reach { get; set; }
    [JsonPropertyName("levels")] public int? Levels { get; set; }

    public ReplayHeader ToHeader() => new(
        Required(Name, "name"), Title ?? Name!, Built ?? "", Follows ?? [], Time(Start, "start"), Time(PlayFrom, "playFrom"), Time(End, "end"));

    public ReplayEvent ToEvent()
    {
        var at = Time(T, "t");
        if (!VenueRules.TryParseVenue(Venue, out var venue)) throw new FormatException($"venue '{Venue}' is not binance, bybit, hyperliquid or okx");
        var key = new MarketKey(venue, Required(Symbol, "symbol"));
        return Type switch
        {
            "ticker" => new TickerEvent(at, key, new Ticker
            {
                Symbol = key.Symbol, Time = at, Mark = Required(Mark, "mark"), Index = Index ?? double.NaN, Last = Last ?? double.NaN,
                FundingRate = Funding ?? double.NaN, FundingIntervalHours = FundingHours ?? double.NaN,
                NextFunding = NextFunding is null ? null : Time(NextFunding, "nextFunding"),
                Volume24h = Volume24h ?? double.NaN, QuoteVolume24h = QuoteVolume24h ?? double.NaN, OpenInterest = Oi ?? double.NaN,
            }),
            "spot" => new SpotEvent(at, key, new SpotTicker
            {
                Symbol = SpotSymbol ?? key.Symbol, Time = at, Price = Required(Price, "price"), QuoteVolume24h = QuoteVolume24h ?? double.NaN,
            }),
            "oi" => new OpenInterestEvent(at, key, new OpenInterestPoint(at, Required(Coins, "coins"), Required(Usd, "usd"))),
            "bar" => new BarEvent(at, key, Market switch
            {
                "perp" or null => MarketKind.Perp,
                "spot" => MarketKind.Spot,
                _ => throw new FormatException($"market '{Market}' is not perp or spot"),
            }, new Bar
            {
                OpenTime = Time(Open, "open"), Interval = ParseInterval(Required(Interval, "interval")),
                Open = Required(O, "o"), High = Required(H, "h"), Low = Required(L, "l"), Close = Required(C, "c"), Volume = Required(V, "v"),
                QuoteVolume = Qv ?? double.NaN, TakerBuyVolume = Tb ?? double.NaN, Closed = Closed ?? true,
            }),
            "book" => new BookEvent(at, key, new DepthSummary
            {
                Time = at, BestBid = Required(BestBid, "bestBid"), BestAsk = Required(BestAsk, "bestAsk"),
                BidUsd = Bands(BidUsd, "bidUsd"), AskUsd = Bands(AskUsd, "askUsd"), Reach = Reach ?? double.NaN, Levels = Levels ?? 0,
            }),
            _ => throw new FormatException($"type '{Type}' is not header, ticker, spot, oi, bar or book"),
        };
    }

    /// <summary>Interval text as venues write it: 1m, 5m, 15m, 1h, 4h, 1d.</summary>
    public static TimeSpan ParseInterval(string text)
    {
        if (text.Length >= 2 && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            switch (text[^1])
            {
                case 'm': return TimeSpan.FromMinutes(n);
                case 'h': return TimeSpan.FromHours(n);
                case 'd': return TimeSpan.FromDays(n);
            }
        }
        throw new FormatException($"interval '{text}' is not like 1m, 5m, 1h or 1d");
    }

    private static double[] Bands(double[]? bands, string name) =>
        bands is { Length: 5 } ? bands : throw new FormatException($"'{name}' must hold 5 numbers (depth within 0.5, 1, 2, 3, 5%)");

    private static T Required<T>(T? value, string name) where T : struct => value ?? throw new FormatException($"'{name}' is missing");
    private static string Required(string? value, string name) => string.IsNullOrWhiteSpace(value) ? throw new FormatException($"'{name}' is missing") : value;

    private static DateTimeOffset Time(string? text, string name) =>
        DateTimeOffset.TryParse(Required(text, name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t : throw new FormatException($"'{name}' is not an ISO-8601 time: '{text}'");
}

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(ReplayLine))]
internal sealed partial class ReplayJsonContext : JsonSerializerContext;
