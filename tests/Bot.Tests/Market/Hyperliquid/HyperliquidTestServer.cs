using System.Text.Json;
using PerpGuard.Bot.Market.Venues.Hyperliquid;
using PerpGuard.Bot.Tests.Fakes;

namespace PerpGuard.Bot.Tests.Market.Hyperliquid;

/// <summary>
/// A loopback Hyperliquid: <c>POST /info</c> answered by the body's <c>type</c>. Types without an answer get the
/// venue's real reaction to a body it cannot map, HTTP 422 with plain text.
/// </summary>
internal sealed class HyperliquidTestServer : IAsyncDisposable
{
    private readonly Dictionary<string, Func<RecordedRequest, FakeResponse>> _byType = new(StringComparer.Ordinal);

    private HyperliquidTestServer(LoopbackServer server, ManualClock clock)
    {
        Server = server;
        Clock = clock;
        server.On("POST", "/info", Answer);
    }

    /// <summary>2026-11-21 09:20 UTC: 20 minutes into an hour, during the 09:00 candle.</summary>
    public static DateTimeOffset Now { get; } = new(2026, 11, 21, 9, 20, 0, TimeSpan.Zero);

    public LoopbackServer Server { get; }
    public ManualClock Clock { get; }

    public static async Task<HyperliquidTestServer> StartAsync(DateTimeOffset? now = null) =>
        new(await LoopbackServer.StartAsync(), new ManualClock(now ?? Now));

    /// <summary>Answers requests of <paramref name="type"/> (replacing an earlier answer).</summary>
    public HyperliquidTestServer On(string type, Func<RecordedRequest, FakeResponse> answer)
    {
        lock (_byType) _byType[type] = answer;
        return this;
    }

    public HyperliquidTestServer On(string type, FakeResponse response) => On(type, _ => response);

    public HyperliquidTestServer On(string type, string json) => On(type, FakeResponse.Json(json));

    /// <summary>The client under test, on the real send path, pointed at this server.</summary>
    public HyperliquidClient Client(TimeSpan? timeout = null) => new(VenueClients.Http(Server, timeout, Clock), Clock);

    /// <summary>The <c>type</c> of every request, in order.</summary>
    public IReadOnlyList<string> Types => [.. Server.To("/info").Select(r => TypeOf(r.Body) ?? "?")];

    /// <summary>The bodies of the requests of one type, parsed.</summary>
    public IReadOnlyList<JsonElement> Bodies(string type) =>
        [.. Server.To("/info").Where(r => TypeOf(r.Body) == type).Select(r => JsonDocument.Parse(r.Body).RootElement.Clone())];

    private FakeResponse Answer(RecordedRequest request)
    {
        var type = TypeOf(request.Body);
        Func<RecordedRequest, FakeResponse>? answer = null;
        lock (_byType) if (type is not null) _byType.TryGetValue(type, out answer);
        return answer?.Invoke(request)
            ?? FakeResponse.Error(422, "Failed to deserialize the JSON body into the target type", "text/plain; charset=utf-8");
    }

    private static string? TypeOf(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("type", out var t) ? t.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
