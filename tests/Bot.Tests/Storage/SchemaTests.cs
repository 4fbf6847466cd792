using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using static PerpGuard.Bot.Tests.Storage.TempDatabase;

namespace PerpGuard.Bot.Tests.Storage;

/// <summary>
/// The hand-written migrations, snapshot and target models against the model in <c>src/Bot/Storage</c>: what SQLite
/// builds from each, and what EF sees in each (including max lengths, which SQLite ignores).
/// </summary>
public sealed class SchemaTests : IDisposable
{
    private readonly TempDatabase _migrated = new();
    private readonly TempDatabase _created = new();

    public void Dispose()
    {
        _migrated.Dispose();
        _created.Dispose();
    }

    [Fact]
    public async Task MigratedSchema_EqualsTheSchemaEnsureCreatedBuildsFromTheModel()
    {
        await _migrated.MigrateAsync();
        Directory.CreateDirectory(Path.GetDirectoryName(_created.FilePath)!);
        await using (_created.Scope(out var db)) Assert.True(await db.Database.EnsureCreatedAsync());
        using var migrated = _migrated.Open();
        using var created = _created.Open();

        var expected = SqliteSchema.Describe(created);
        var actual = SqliteSchema.Describe(migrated);

        Assert.Equal(expected, actual);
        // Not two empty lists: the facts the model promises are there.
        Assert.Equal(18, actual.Count(l => l.StartsWith("Users column ", StringComparison.Ordinal)));
        Assert.Equal(16, actual.Count(l => l.StartsWith("Positions column ", StringComparison.Ordinal)));
        Assert.Contains("Users column Id INTEGER notnull=1 pk=1", actual);
        Assert.Equal(21, actual.Count(l => l.StartsWith("Alerts column ", StringComparison.Ordinal)));
        Assert.Contains("Users autoincrement=True", actual);
        Assert.Contains("Users column AlertLevels TEXT notnull=1 pk=0", actual);
        Assert.Contains("Users column QuietFrom TEXT notnull=0 pk=0", actual);
        Assert.Contains("Users index IX_Users_Platform_ExternalId unique=1 origin=c partial=0 (Platform, ExternalId)", actual);
        Assert.Contains("Positions index IX_Positions_OwnerId unique=0 origin=c partial=0 (OwnerId)", actual);
        Assert.Contains("Positions foreign key #0.0 OwnerId -> Users(Id) on update NO ACTION on delete CASCADE match NONE", actual);
    }

    [Fact]
    public async Task HasPendingModelChanges_WithTheSnapshot_IsFalse()
    {
        await using var scope = _migrated.Scope(out var db);

        Assert.Equal("PerpGuardDbContextModelSnapshot", db.GetService<IMigrationsAssembly>().ModelSnapshot?.GetType().Name);
        // Without a snapshot this is true; with a stale one, MigrateAsync throws (PendingModelChangesWarning is an error since EF 9).
        Assert.False(db.Database.HasPendingModelChanges());
    }

    [Fact]
    public async Task MigrationOperations_DescribeTheModel_IncludingMaxLengths()
    {
        await using var scope = _migrated.Scope(out var db);
        var model = ModelSchema.Describe(db.GetService<IDesignTimeModel>().Model.GetRelationalModel());

        var migrations = ModelSchema.Describe(Migrations(db));

        Assert.Equal(model, migrations);
        Assert.Contains("Users column AlertLevels String TEXT nullable=False maxLength=64", migrations);
        Assert.Contains("Users column QuietTo TimeOnly TEXT nullable=True maxLength=-", migrations);
        Assert.Contains("Users column MutedUntil Int64 INTEGER nullable=True maxLength=-", migrations);
        Assert.Contains("Positions column Side String TEXT nullable=False maxLength=8", migrations);
        Assert.Contains("Positions foreign key FK_Positions_Users_OwnerId (OwnerId) -> Users (Id) on delete Cascade", migrations);
    }

    [Fact]
    public async Task SnapshotAndTargetModels_MatchTheModelAndTheirMigrations()
    {
        await using var scope = _migrated.Scope(out var db);
        var model = ModelSchema.Describe(db.GetService<IDesignTimeModel>().Model.GetRelationalModel());
        var migrations = Migrations(db);

        Assert.Equal(model, ModelSchema.Describe(ModelSchema.Relational(db, db.GetService<IMigrationsAssembly>().ModelSnapshot!.Model)));
        Assert.Equal(model, ModelSchema.Describe(ModelSchema.Relational(db, migrations[^1].TargetModel!)));
        // Migrating down to Initial rebuilds Users from Initial's target model: it must be what Initial created.
        var initial = ModelSchema.Describe(ModelSchema.Relational(db, migrations[0].TargetModel!));
        Assert.Equal(ModelSchema.Describe(migrations[..1]), initial);
        Assert.DoesNotContain(initial, l => l.Contains("Alert", StringComparison.Ordinal));
    }

    private static List<Migration> Migrations(DbContext db)
    {
        var assembly = db.GetService<IMigrationsAssembly>();
        Assert.Equal([InitialMigration, AlertSettingsMigration, MarketDataMigration, RulesMigration, AlertsMigration, ProcessedUpdatesMigration], assembly.Migrations.Keys);
        return assembly.Migrations.Values.Select(t => assembly.CreateMigration(t, db.Database.ProviderName!)).ToList();
    }
}
