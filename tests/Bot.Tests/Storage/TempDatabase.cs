using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PerpGuard.Bot.Storage;

namespace PerpGuard.Bot.Tests.Storage;

/// <summary>
/// A real SQLite file under a fresh temp directory, two levels below it in directories that do not exist yet, with the
/// app's own services (<see cref="BotServiceCollectionExtensions.AddPerpGuard"/>) pointed at it. Disposing deletes it all.
/// </summary>
internal sealed class TempDatabase : IDisposable
{
    public const string InitialMigration = "20261121090000_Initial";
    public const string AlertSettingsMigration = "20261121100000_AlertSettings";
    public const string MarketDataMigration = "20261121120000_MarketData";
    public const string RulesMigration = "20261121140000_Rules";
    public const string AlertsMigration = "20261121160000_Alerts";
    public const string ProcessedUpdatesMigration = "20261122020000_ProcessedUpdates";

    private readonly List<IHost> _hosts = [];

    public TempDatabase()
    {
        Root = Path.Combine(Path.GetTempPath(), "perpguard-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        FilePath = Path.Combine(Root, "data", "nested", "perpguard.db");
    }

    /// <summary>The per-test directory (exists).</summary>
    public string Root { get; }

    /// <summary>The database file; its directory does not exist until something creates it.</summary>
    public string FilePath { get; }

    public string ConnectionString => $"Data Source={FilePath}";

    /// <summary>The app's services over this file, registered the way the app registers them.</summary>
    public IServiceProvider Services()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration["ConnectionStrings:PerpGuard"] = ConnectionString;
        builder.AddPerpGuard();
        var host = builder.Build();
        _hosts.Add(host);
        return host.Services;
    }

    /// <summary>What the app runs on start.</summary>
    public Task<IReadOnlyList<string>> MigrateAsync() => Services().GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);

    /// <summary>EF's migrator straight to <paramref name="target"/> (up or down), bypassing <see cref="DatabaseMigrator"/>.</summary>
    public async Task MigrateToAsync(string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        await using var scope = Scope(out var db);
        await db.GetService<IMigrator>().MigrateAsync(target);
    }

    /// <summary>A fresh context in its own scope; dispose the scope when done.</summary>
    public AsyncServiceScope Scope(out PerpGuardDbContext db)
    {
        var scope = Services().CreateAsyncScope();
        db = scope.ServiceProvider.GetRequiredService<PerpGuardDbContext>();
        return scope;
    }

    /// <summary>A raw connection to the file, outside EF.</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    public void Dispose()
    {
        foreach (var host in _hosts) host.Dispose();
        // Pooled connections keep the file (and its -wal and -shm) open.
        SqliteConnection.ClearAllPools();
        Directory.Delete(Root, recursive: true);
    }
}
