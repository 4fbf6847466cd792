using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PerpGuard.Bot.Storage;
using PerpGuard.Bot.Tests.Fakes;

namespace PerpGuard.Bot.Tests.Market;

/// <summary>
/// The market-data services (state, ingest, poller, venue clients) over a real, migrated SQLite file, optionally
/// pointed at a loopback server, with a collected log.
/// </summary>
internal sealed class MarketHarness : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly string _directory;

    private MarketHarness(IHost host, string directory, LogCollector logs)
    {
        _host = host;
        _directory = directory;
        Logs = logs;
    }

    public IServiceProvider Services => _host.Services;
    public LogCollector Logs { get; }
    public T Get<T>() where T : notnull => _host.Services.GetRequiredService<T>();

    public static async Task<MarketHarness> StartAsync(TimeProvider? time = null, string? venueBaseUrl = null, IDictionary<string, string?>? settings = null, bool runJobs = false)
    {
        var directory = TestDirectory.NewPath();
        Directory.CreateDirectory(directory);
        // Content root in the empty temp directory: the shipped appsettings.json (its live watchlist) stays out.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = directory });
        builder.Configuration["ConnectionStrings:PerpGuard"] = $"Data Source={Path.Combine(directory, "perpguard.db")}";
        builder.Configuration["Market:Poll"] = "false";
        if (venueBaseUrl is not null)
        {
            foreach (var venue in new[] { "Binance", "Bybit", "Hyperliquid", "Okx" }) builder.Configuration[$"Venues:{venue}:BaseUrl"] = venueBaseUrl;
            builder.Configuration["Venues:Binance:SpotBaseUrl"] = venueBaseUrl;
        }
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        var logs = new LogCollector();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        if (time is not null) builder.Services.AddSingleton(time);
        builder.AddPerpGuard();
        builder.AddMarketData(schedule: runJobs);
        var host = builder.Build();
        await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        // The Quartz scheduler is a hosted service: it runs the polling jobs only once the host starts.
        if (runJobs) await host.StartAsync();
        return new MarketHarness(host, directory, logs);
    }

    /// <summary>Runs a query on a fresh context.</summary>
    public async Task<T> QueryAsync<T>(Func<PerpGuardDbContext, Task<T>> query)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<PerpGuardDbContext>());
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        await Task.Yield();
        TestDirectory.Delete(_directory);
    }
}
