using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace PerpGuard.Bot.Storage;

/// <summary>PerpGuard's SQLite database. The schema comes from the hand-written migrations in the top-level <c>migrations/</c>.</summary>
public sealed class PerpGuardDbContext(DbContextOptions<PerpGuardDbContext> options) : DbContext(options)
{
    /// <summary>Connection string name (<c>ConnectionStrings:PerpGuard</c>).</summary>
    public const string ConnectionName = "PerpGuard";

    /// <summary>Chat users.</summary>
    public DbSet<ChatUser> Users => Set<ChatUser>();
    /// <summary>Tracked positions.</summary>
    public DbSet<Position> Positions => Set<Position>();
    /// <summary>Symbols users watch without a position.</summary>
    public DbSet<WatchedSymbol> Watches => Set<WatchedSymbol>();

    /// <summary>Invalidation rules users keep in force.</summary>
    public DbSet<UserRule> Rules => Set<UserRule>();
    /// <summary>Alert state machines, one per user and key.</summary>
    public DbSet<AlertStateRow> AlertStates => Set<AlertStateRow>();
    /// <summary>Alert history and outbox.</summary>
    public DbSet<AlertRecord> Alerts => Set<AlertRecord>();
    /// <summary>Symbols users muted.</summary>
    public DbSet<MutedSymbol> MutedSymbols => Set<MutedSymbol>();
    /// <summary>Incoming updates already handled (Telegram), so a restart does not handle them again.</summary>
    public DbSet<ProcessedUpdate> ProcessedUpdates => Set<ProcessedUpdate>();
    /// <summary>Ticker series.</summary>
    public DbSet<StoredTicker> Tickers => Set<StoredTicker>();
    /// <summary>Spot ticker series.</summary>
    public DbSet<StoredSpotTicker> SpotTickers => Set<StoredSpotTicker>();
    /// <summary>Open-interest series.</summary>
    public DbSet<StoredOpenInterest> OpenInterest => Set<StoredOpenInterest>();
    /// <summary>Order-book summary series.</summary>
    public DbSet<StoredBook> Books => Set<StoredBook>();
    /// <summary>Candles, perp and spot.</summary>
    public DbSet<StoredBar> Bars => Set<StoredBar>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(PerpGuardDbContext).Assembly);

    /// <inheritdoc />
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot compare EF's default DateTimeOffset text; Unix milliseconds order and compare as integers.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();
    }

    private sealed class UnixMillisecondsConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.ToUnixTimeMilliseconds(), v => DateTimeOffset.FromUnixTimeMilliseconds(v));
}
