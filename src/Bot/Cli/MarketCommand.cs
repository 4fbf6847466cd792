using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PerpGuard.Bot.Market;
using PerpGuard.Bot.Options;
using PerpGuard.Bot.Rendering;
using PerpGuard.Bot.Replay;
using PerpGuard.Core.Market;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Cli;

/// <summary>
/// <c>perpguard market &lt;symbol&gt; [--venue binance] [--json] [--replay name|file]</c>: the current snapshot of one
/// symbol (live from the venue's public API, or as of the end of a replay), every feed with its age. A feed that
/// failed is shown as n/a with the reason; the exit code is 1 when no feed could be read at all.
/// </summary>
internal sealed class MarketCommand
{
    private readonly SymbolArguments _args = new("Read the snapshot at the end of a replay scenario instead of the venue.");

    public MarketCommand()
    {
        Command = new Command("market", "Current mark, index, funding, open interest, book depth and spot of one symbol, with data age.");
        _args.AddTo(Command);
    }

    public Command Command { get; }

    public async Task<int> RunAsync(ParseResult parse, IServiceProvider services, CliStreams streams, CancellationToken cancellationToken)
    {
        if (!_args.TryResolve(parse, "market", out var instrument, out var error)) return await FailAsync(streams, error);
        if (!_args.TryLoadReplay(parse, out var scenario, out error)) return await FailAsync(streams, error);
        var venue = instrument.Venue;

        MarketView view;
        string source;
        if (scenario is not null)
        {
            var clock = new ReplayClock(scenario.Header.End, 1);
            var state = new MarketState(services.GetRequiredService<IOptions<MarketOptions>>(), clock);
            Apply(scenario, state);
            view = state.View(new MarketKey(venue, instrument.Symbol));
            source = $"replay {scenario.Header.Name}, as of {scenario.Header.End:yyyy-MM-dd HH:mm} UTC";
        }
        else
        {
            var client = services.GetServices<IVenueClient>().FirstOrDefault(c => c.Venue == venue);
            if (client is null) return await FailAsync(streams, $"no {venue.Name()} client in this build");
            var state = services.GetRequiredService<MarketState>();
            await FetchAsync(client, instrument, state, cancellationToken);
            view = state.View(new MarketKey(venue, instrument.Symbol));
            source = $"live from {services.GetRequiredService<IOptions<VenuesOptions>>().Value.For(venue).BaseUrl}";
        }

        await using var output = new StreamWriter(streams.Output, new UTF8Encoding(false), leaveOpen: true);
        if (parse.GetValue(_args.Json))
            await output.WriteLineAsync(JsonSerializer.Serialize(MarketJson.From(view, source), MarketJsonContext.Default.MarketJson));
        else
            foreach (var line in MarketText.Lines(view, source)) await output.WriteLineAsync(line);
        return view.Feeds.Values.Any(f => f.DataTime is not null) ? 0 : 1;
    }

    // Every feed on its own: one failing (the venue has no spot pair, a timeout) leaves the others.
    private static async Task FetchAsync(IVenueClient client, Instrument instrument, MarketState state, CancellationToken cancellationToken)
    {
        var key = new MarketKey(instrument.Venue, instrument.Symbol);
        await Task.WhenAll(
            Try(MarketFeed.Prices, async () =>
            {
                var tickers = await client.GetTickersAsync([instrument.Symbol], cancellationToken);
                if (tickers.Count == 0) state.Fail(key, MarketFeed.Prices, $"{instrument.Venue.Name()} does not list {instrument.Symbol}");
                foreach (var t in tickers) state.Set(key, t);
            }),
            Try(MarketFeed.OpenInterest, async () => state.Set(key, await client.GetOpenInterestAsync(instrument.Symbol, cancellationToken))),
            Try(MarketFeed.Book, async () =>
            {
                var book = await client.GetOrderBookAsync(instrument.Symbol, 1000, cancellationToken);
                if (MarketSanity.Check(book, out var summary) is { } problem) state.Fail(key, MarketFeed.Book, problem);
                else state.Set(key, summary!, book);
            }),
            Try(MarketFeed.Spot, async () =>
            {
                if (await client.GetSpotTickerAsync(instrument.Symbol, cancellationToken) is { } spot) state.Set(key, spot);
                else state.Fail(key, MarketFeed.Spot, $"{instrument.Venue.Name()} has no spot pair for it");
            })).ConfigureAwait(false);

        async Task Try(MarketFeed feed, Func<Task> fetch)
        {
            try
            {
                await fetch().ConfigureAwait(false);
            }
            catch (MarketDataException ex)
            {
                state.Fail(key, feed, ex.Message);
            }
        }
    }

    /// <summary>Sets <paramref name="state"/> to the scenario's last good values up to <paramref name="until"/> (the end when null).</summary>
    internal static void Apply(ReplayScenario scenario, MarketState state, DateTimeOffset? until = null)
    {
        foreach (var e in scenario.Events.TakeWhile(e => until is null || e.At <= until))
        {
            switch (e)
            {
                case TickerEvent t when MarketSanity.Check(t.Ticker) is null: state.Set(e.Key, t.Ticker); break;
                case SpotEvent s when MarketSanity.Check(s.Spot) is null: state.Set(e.Key, s.Spot); break;
                case OpenInterestEvent o when MarketSanity.Check(o.Point) is null: state.Set(e.Key, o.Point); break;
                case BookEvent b when MarketSanity.Check(b.Summary) is null: state.Set(e.Key, b.Summary, null); break;
                case BarEvent b when b.Market == MarketKind.Perp && MarketSanity.Check(b.Bar) is null: state.Set(e.Key, b.Market, [b.Bar]); break;
            }
        }
    }

    private static Task<int> FailAsync(CliStreams streams, string message) => SymbolArguments.FailAsync(streams, message);
}

/// <summary><c>market --json</c> output: values (null when absent) and each feed's age in seconds and staleness.</summary>
internal sealed record MarketJson(
    string Venue, string Symbol, string Source, double? Mark, double? Index, double? Last, double? FundingRate, double? FundingIntervalHours,
    DateTimeOffset? NextFunding, double? OpenInterestCoins, double? OpenInterestUsd, double? BestBid, double? BestAsk,
    double[]? BidDepthUsd, double[]? AskDepthUsd, double? BookReach, double? SpotPrice, double? QuoteVolume24h,
    IReadOnlyDictionary<string, MarketFeedJson> Feeds)
{
    public static MarketJson From(MarketView v, string source)
    {
        var t = v.Ticker;
        return new(v.Key.Venue.Name(), v.Key.Symbol, source, t?.Mark, N(t?.Index), N(t?.Last), N(t?.FundingRate), N(t?.FundingIntervalHours), t?.NextFunding,
            v.OpenInterest?.Coins, v.OpenInterest?.Usd, v.Depth?.BestBid, v.Depth?.BestAsk, v.Depth?.BidUsd, v.Depth?.AskUsd, v.Depth?.Reach,
            v.Spot?.Price, N(t?.QuoteVolume24h),
            v.Feeds.ToDictionary(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Key.ToString()),
                p => new MarketFeedJson(p.Value.DataTime, p.Value.Age?.TotalSeconds, p.Value.Stale, p.Value.LastError)));
    }

    private static double? N(double? x) => x is { } d && double.IsNaN(d) ? null : x;
}

/// <summary>One feed's freshness in <c>market --json</c>.</summary>
internal sealed record MarketFeedJson(DateTimeOffset? Time, double? AgeSeconds, bool Stale, string? Error);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(MarketJson))]
internal sealed partial class MarketJsonContext : JsonSerializerContext;
