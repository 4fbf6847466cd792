using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Storage.Configurations;

// Every series is read as "this venue and symbol, from time t on" (rules, cluster map, /market) and pruned by time
// (retention), so each has a (Venue, Symbol, ..., time) index and an index on its time alone.
internal static class Series
{
    /// <summary>Table name, venue as text, symbol length, and the two indexes (the first one unique when rows are one per key).</summary>
    public static void Configure<T>(EntityTypeBuilder<T> builder, string table, string[] key, bool unique, string time = "Time") where T : class
    {
        builder.ToTable(table);
        builder.Property<Venue>("Venue").HasConversion<string>().HasMaxLength(16);
        builder.Property<string>("Symbol").HasMaxLength(Position.MaxSymbolLength);
        builder.HasIndex(["Venue", "Symbol", .. key, time]).IsUnique(unique);
        builder.HasIndex(time);
    }
}

internal sealed class StoredTickerConfiguration : IEntityTypeConfiguration<StoredTicker>
{
    public void Configure(EntityTypeBuilder<StoredTicker> builder) => Series.Configure(builder, "Tickers", [], unique: false);
}

internal sealed class StoredSpotTickerConfiguration : IEntityTypeConfiguration<StoredSpotTicker>
{
    public void Configure(EntityTypeBuilder<StoredSpotTicker> builder)
    {
        Series.Configure(builder, "SpotTickers", [], unique: false);
        builder.Property(t => t.SpotSymbol).HasMaxLength(Position.MaxSymbolLength);
    }
}

internal sealed class StoredOpenInterestConfiguration : IEntityTypeConfiguration<StoredOpenInterest>
{
    // History backfill and polling can deliver the same point twice; one row per time.
    public void Configure(EntityTypeBuilder<StoredOpenInterest> builder) => Series.Configure(builder, "OpenInterest", [], unique: true);
}

internal sealed class StoredBookConfiguration : IEntityTypeConfiguration<StoredBook>
{
    public void Configure(EntityTypeBuilder<StoredBook> builder) => Series.Configure(builder, "BookSummaries", [], unique: false);
}

internal sealed class StoredBarConfiguration : IEntityTypeConfiguration<StoredBar>
{
    // One row per bar; a forming bar is updated in place.
    public void Configure(EntityTypeBuilder<StoredBar> builder)
    {
        Series.Configure(builder, "Bars", ["Market", "IntervalSeconds"], unique: true, time: "OpenTime");
        builder.Property(t => t.Market).HasConversion<string>().HasMaxLength(8);
    }
}

internal sealed class WatchedSymbolConfiguration : IEntityTypeConfiguration<WatchedSymbol>
{
    public void Configure(EntityTypeBuilder<WatchedSymbol> builder)
    {
        builder.ToTable("Watches");
        builder.Property(t => t.Venue).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.Symbol).HasMaxLength(Position.MaxSymbolLength);
        builder.HasIndex(t => new { t.OwnerId, t.Venue, t.Symbol }).IsUnique();
        builder.HasOne<ChatUser>().WithMany().HasForeignKey(t => t.OwnerId).OnDelete(DeleteBehavior.Cascade);
    }
}
