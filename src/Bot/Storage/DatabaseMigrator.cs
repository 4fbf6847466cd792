using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PerpGuard.Bot.Storage;

/// <summary>
/// Brings the database to the latest migration: creates the file's directory, applies pending migrations, and turns
/// on WAL (persistent in the file, so readers never block the writer). Running it again changes nothing.
/// </summary>
public sealed class DatabaseMigrator(IServiceScopeFactory scopes, ILogger<DatabaseMigrator> logger)
{
    /// <summary>Applies every pending migration; returns their names.</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PerpGuardDbContext>();
        EnsureDirectory(DataSource(db));
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        await db.Database.MigrateAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        if (pending.Count > 0) logger.MigrationsApplied(pending.Count, pending);
        return pending;
    }

    /// <summary>The database file as the connection string names it (e.g. <c>data/perpguard.db</c>).</summary>
    public string DataSource()
    {
        using var scope = scopes.CreateScope();
        return DataSource(scope.ServiceProvider.GetRequiredService<PerpGuardDbContext>());
    }

    private static string DataSource(PerpGuardDbContext db) => new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;

    // SQLite creates the file but not its directory (data/ on a fresh clone).
    private static void EnsureDirectory(string path)
    {
        if (string.IsNullOrEmpty(path) || path == ":memory:" || path.StartsWith("file:", StringComparison.OrdinalIgnoreCase)) return;
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
    }
}
