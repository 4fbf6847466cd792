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
        // MigrateAsync takes EF's migration lock even with nothing to apply: only call it when there is work.
        if (pending.Count > 0)
        {
            await ClearStaleLockAsync(db, cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
        }
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        if (pending.Count > 0) logger.MigrationsApplied(pending.Count, pending);
        return pending;
    }

    /// <summary>A migration lock older than this was left by a process that died while migrating (migrations take well under a second).</summary>
    public static readonly TimeSpan StaleLock = TimeSpan.FromMinutes(1);

    // EF Core on SQLite locks migrations by inserting a row into __EFMigrationsLock. A process killed while holding it
    // leaves the row in the file, and every later start would wait for it forever. A row older than StaleLock belongs
    // to a dead process: remove it (a live migration, from another process on the same file, is never that old).
    private async Task ClearStaleLockAsync(PerpGuardDbContext db, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var find = connection.CreateCommand();
            find.CommandText = "SELECT Timestamp FROM __EFMigrationsLock";
            var waited = false;
            while (true)
            {
                string? stamp;
                try
                {
                    stamp = await find.ExecuteScalarAsync(cancellationToken) as string;
                }
                catch (SqliteException)
                {
                    return; // no lock table yet: a database that never migrated
                }
                if (stamp is null) return;
                var age = DateTimeOffset.TryParse(stamp, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
                    ? TimeProvider.System.GetUtcNow() - at : TimeSpan.MaxValue;
                if (age >= StaleLock)
                {
                    await using var clear = connection.CreateCommand();
                    clear.CommandText = "DELETE FROM __EFMigrationsLock";
                    await clear.ExecuteNonQueryAsync(cancellationToken);
                    logger.StaleMigrationLockCleared(stamp);
                    return;
                }
                // Young: another process may be migrating right now. Wait for it to finish, or for the lock to go stale.
                if (!waited) logger.WaitingForMigrationLock(stamp, StaleLock);
                waited = true;
                await Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System, cancellationToken);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
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
