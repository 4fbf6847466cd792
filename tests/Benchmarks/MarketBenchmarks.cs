using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PerpGuard.Bot;
using PerpGuard.Bot.Market;
using PerpGuard.Bot.Market.Venues.Binance;
using PerpGuard.Bot.Storage;
using PerpGuard.Core.Market;
using PerpGuard.Core.Venues;

namespace PerpGuard.Benchmarks;

/// <summary>A Binance depth body of 1,000 levels per side parsed into levels, then summarised into the ±0.5–5% bands.</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class OrderBookDepth
{
    private byte[] _body = [];
    private OrderBook _book = null!;

    /// <summary>Builds a BTC-like book: 0.1 ticks, sizes 0.001–2 BTC.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        var sb = new StringBuilder("{\"lastUpdateId\":1,\"E\":1795251598120,\"T\":1795251598100,\"bids\":[");
        for (var i = 0; i < 1000; i++) sb.Append(CultureInfo.InvariantCulture, $"{(i > 0 ? "," : "")}[\"{97000 - i * 0.1:F1}\",\"{random.Next(1, 2000) / 1000.0:F3}\"]");
        sb.Append("],\"asks\":[");
        for (var i = 0; i < 1000; i++) sb.Append(CultureInfo.InvariantCulture, $"{(i > 0 ? "," : "")}[\"{97000.1 + i * 0.1:F1}\",\"{random.Next(1, 2000) / 1000.0:F3}\"]");
        sb.Append("]}");
        _body = Encoding.UTF8.GetBytes(sb.ToString());
        _book = Parse();
    }

    /// <summary>Parse only.</summary>
    [Benchmark]
    public OrderBook Parse()
    {
        var (bids, asks, ms) = BinanceReaders.ReadDepth(_body);
        return new OrderBook(DateTimeOffset.FromUnixTimeMilliseconds(ms), bids, asks);
    }

    /// <summary>Summarise only.</summary>
    [Benchmark]
    public DepthSummary? Summarise() => DepthSummary.Of(_book);

    /// <summary>Both, as a poll does.</summary>
    [Benchmark(Baseline = true)]
    public DepthSummary? ParseAndSummarise() => DepthSummary.Of(Parse());
}

/// <summary>
/// One polling cycle of 200 Binance symbols through the real poller, venue client, HTTP stack and SQLite, against a
/// Kestrel server on loopback that answers like Binance (fresh timestamps, so every cycle stores its rows). The rate
/// limiter's budget is raised (Venues:Binance:WeightBudget): the figure is our cost, not Binance's limit.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 10)]
public class PollingCycle
{
    private const int Symbols = 200;
    private WebApplication _server = null!;
    private IHost _host = null!;
    private MarketPoller _poller = null!;
    private string _directory = "";
    private string _book = "";

    /// <summary>Starts the fake exchange and the services on a migrated temporary database.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _book = Book(100);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _server = builder.Build();
        _server.Run(Answer);
        _server.StartAsync().GetAwaiter().GetResult();
        var baseUrl = _server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        _directory = Path.Combine(Path.GetTempPath(), "perpguard-bench", Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:PerpGuard"] = $"Data Source={Path.Combine(_directory, "bench.db")}",
            ["Venues:Binance:BaseUrl"] = baseUrl, ["Venues:Binance:SpotBaseUrl"] = baseUrl, ["Venues:Binance:WeightBudget"] = "1000000",
            ["Market:StoreEvery"] = "00:00:00", ["Market:BookDepth"] = "100",
        };
        for (var i = 0; i < Symbols; i++) settings[$"Market:Watchlist:{i}"] = $"binance:S{i}USDT";
        var host = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        host.Configuration.AddInMemoryCollection(settings);
        host.Logging.ClearProviders();
        host.AddPerpGuard();
        host.AddMarketData(schedule: false);
        _host = host.Build();
        _host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
        _poller = _host.Services.GetRequiredService<MarketPoller>();
        // First cycles backfill history; the measured ones are steady state.
        PricesAndFunding().GetAwaiter().GetResult();
        OpenInterestAndBooks().GetAwaiter().GetResult();
        Bars().GetAwaiter().GetResult();
    }

    /// <summary>Mark, index, funding (2 bulk calls) and 200 spot tickers, stored.</summary>
    [Benchmark]
    public Task PricesAndFunding() => _poller.PollPricesAsync(Venue.Binance, CancellationToken.None);

    /// <summary>200 open-interest calls and 200 books of 100 levels per side, summarised and stored.</summary>
    [Benchmark]
    public Task OpenInterestAndBooks() => _poller.PollDepthAsync(Venue.Binance, CancellationToken.None);

    /// <summary>200 × (perp + spot) klines, upserted.</summary>
    [Benchmark]
    public Task Bars() => _poller.PollBarsAsync(Venue.Binance, CancellationToken.None);

    /// <summary>Stops everything and deletes the database.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _host.Dispose();
        _server.StopAsync().GetAwaiter().GetResult();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    private Task Answer(HttpContext context)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var symbol = context.Request.Query["symbol"].ToString();
        context.Response.ContentType = "application/json";
        var body = context.Request.Path.Value switch
        {
            "/fapi/v1/premiumIndex" => Array(i => $"{{\"symbol\":\"S{i}USDT\",\"markPrice\":\"{100 + i}.5\",\"indexPrice\":\"{100 + i}.4\",\"lastFundingRate\":\"0.0001\",\"nextFundingTime\":{now + 3_600_000},\"time\":{now}}}"),
            "/fapi/v1/ticker/24hr" => Array(i => $"{{\"symbol\":\"S{i}USDT\",\"lastPrice\":\"{100 + i}.6\",\"volume\":\"1000\",\"quoteVolume\":\"100000\",\"closeTime\":{now}}}"),
            "/fapi/v1/fundingInfo" => "[]",
            "/fapi/v1/openInterest" => $"{{\"symbol\":\"{symbol}\",\"openInterest\":\"12345.6\",\"time\":{now}}}",
            "/futures/data/openInterestHist" => $"[{{\"symbol\":\"{symbol}\",\"sumOpenInterest\":\"12000\",\"sumOpenInterestValue\":\"1200000\",\"timestamp\":{now - 300_000}}}]",
            "/fapi/v1/depth" => _book.Replace("\"E\":0", $"\"E\":{now}", StringComparison.Ordinal),
            "/fapi/v1/klines" or "/api/v3/klines" => Klines(now),
            "/api/v3/ticker/24hr" => $"{{\"symbol\":\"{symbol}\",\"lastPrice\":\"100.2\",\"quoteVolume\":\"50000\",\"closeTime\":{now}}}",
            _ => "{}",
        };
        return context.Response.WriteAsync(body);
    }

    private static string Array(Func<int, string> item) => "[" + string.Join(',', Enumerable.Range(0, Symbols).Select(item)) + "]";

    private static string Klines(long now)
    {
        var open = now / 300_000 * 300_000;
        return "[" + string.Join(',', Enumerable.Range(0, 3).Reverse().Select(k =>
            $"[{open - k * 300_000},\"100.0\",\"101.0\",\"99.0\",\"100.5\",\"50\",{open - k * 300_000 + 299_999},\"5000\",10,\"20\",\"2000\",\"0\"]")) + "]";
    }

    private static string Book(int levels)
    {
        var bids = string.Join(',', Enumerable.Range(0, levels).Select(i => $"[\"{(100 - i * 0.01).ToString("F2", CultureInfo.InvariantCulture)}\",\"5.000\"]"));
        var asks = string.Join(',', Enumerable.Range(0, levels).Select(i => $"[\"{(100.01 + i * 0.01).ToString("F2", CultureInfo.InvariantCulture)}\",\"5.000\"]"));
        return $"{{\"lastUpdateId\":1,\"E\":0,\"T\":0,\"bids\":[{bids}],\"asks\":[{asks}]}}";
    }
}
