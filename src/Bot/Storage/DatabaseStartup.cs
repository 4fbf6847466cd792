using Microsoft.Extensions.Hosting;

namespace PerpGuard.Bot.Storage;

/// <summary>Migrates the database when the bot starts, before any channel receives a command.</summary>
public sealed class DatabaseStartup(DatabaseMigrator migrator) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => migrator.MigrateAsync(cancellationToken);

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
