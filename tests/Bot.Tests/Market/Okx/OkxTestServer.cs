using PerpGuard.Bot.Market.Venues.Okx;
using PerpGuard.Bot.Tests.Fakes;

namespace PerpGuard.Bot.Tests.Market.Okx;

/// <summary>
/// A loopback OKX serving this repository's fixtures: bulk endpoints by path, per-instrument endpoints by
/// <c>instId</c> (an instrument without a fixture gets OKX's 51001 inside HTTP 200).
/// </summary>
internal sealed class OkxTestServer : IAsyncDisposable
{
    public const string Instruments = "/api/v5/public/instruments";
    public const string MarkPrice = "/api/v5/public/mark-price";
    public const string Tickers = "/api/v5/market/tickers";
    public const string IndexTickers = "/api/v5/market/index-tickers";
    public const string FundingRate = "/api/v5/public/funding-rate";
    public const string OpenInterest = "/api/v5/public/open-interest";
    public const string OpenInterestHistory = "/api/v5/rubik/stat/contracts/open-interest-history";
    public const string Books = "/api/v5/market/books";
    public const string Candles = "/api/v5/market/candles";
    public const string SpotTickerPath = "/api/v5/market/ticker";
    public const string PositionTiers = "/api/v5/public/position-tiers";

    private OkxTestServer(LoopbackServer server, ManualClock clock)
    {
        Server = server;
        Clock = clock;
    }

    /// <summary>2026-11-21 09:20 UTC, two seconds after the fixtures' mark-price stamp.</summary>
    public static DateTimeOffset Now { get; } = new(2026, 11, 21, 9, 20, 0, TimeSpan.Zero);

    public LoopbackServer Server { get; }
    public ManualClock Clock { get; }

    public static async Task<OkxTestServer> StartAsync(bool withFixtures = true)
    {
        var server = new OkxTestServer(await LoopbackServer.StartAsync(), new ManualClock(Now));
        if (withFixtures) server.ServeFixtures();
        return server;
    }

    public OkxClient Client(TimeSpan? timeout = null) => new(VenueClients.Http(Server, timeout, Clock), Clock);

    public static FakeResponse NotFound => FakeResponse.Json(Fixture.Read("okx/error.51001.json"));

    private void ServeFixtures()
    {
        Server.Get(Instruments, FakeResponse.Json(Fixture.Read("okx/instruments.swap.json")));
        Server.Get(MarkPrice, FakeResponse.Json(Fixture.Read("okx/mark-price.swap.json")));
        Server.Get(Tickers, FakeResponse.Json(Fixture.Read("okx/tickers.swap.json")));
        Server.On("GET", IndexTickers, r => FakeResponse.Json(Fixture.Read($"okx/index-tickers.{r.Param("quoteCcy")?.ToLowerInvariant()}.json")));
        ByInstId(FundingRate, id => $"okx/funding-rate.{id}.json");
        ByInstId(OpenInterest, id => $"okx/open-interest.{id}.json");
        ByInstId(OpenInterestHistory, id => $"okx/open-interest-history.{id}.5m.json");
        ByInstId(Books, id => $"okx/books.{id}.json");
        ByInstId(Candles, id => id.EndsWith("-SWAP", StringComparison.Ordinal) ? $"okx/candles.{id}.1H.json" : $"okx/candles.{id}.spot.1H.json");
        ByInstId(SpotTickerPath, id => $"okx/ticker.{id}.spot.json");
        Server.On("GET", PositionTiers, r => Answer($"okx/position-tiers.{r.Param("instFamily")}.json"));
    }

    private void ByInstId(string path, Func<string, string> fixture) =>
        Server.On("GET", path, r => Answer(fixture(r.Param("instId") ?? "")));

    private static FakeResponse Answer(string fixture) =>
        File.Exists(Path.Combine(AppContext.BaseDirectory, "Market", "Fixtures", fixture)) ? FakeResponse.Json(Fixture.Read(fixture)) : NotFound;

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
