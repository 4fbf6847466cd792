using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PerpGuard.Bot.Storage.Configurations;

// Every series is read as "this venue and symbol, from time t on" (rules, cluster map, /market) and pruned by time
// (retention), so each has a (Venue, Symbol, Time) index and a Time index.

internal sealed class StoredTickerConfiguration : IEntityTypeConfiguration<StoredTicker>
{
    public void Configure(EntityTypeBuilder<StoredTicker> builder)
    {
        builder.ToTable("Tickers");
        builder.Property(t => t.Venue).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.Symbol).HasMaxLength(Position.MaxSymbolLength);
        builder.HasIndex(t => new { t.Venue, t.Symbol, t.Time });
        builder.HasIndex(t => t.Time);
    }
}

internal sealed class StoredSpotTickerConfiguration : IEntityTypeConfiguration<StoredSpotTicker>
{
    public void Configure(EntityTypeBuilder<StoredSpotTicker> builder)
    {
        builder.ToTable("SpotTickers");
        builder.Property(t => t.Venue).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.Symbol).HasMaxLength(Position.MaxSymbolLength);
        builder.Property(t => t.SpotSymbol).HasMaxLength(Position.MaxSymbolLength);
        builder.HasIndex(t => new { t.Venue, t.Symbol, t.Time });
        builder.HasIndex(t => t.Time);
    }
}

internal sealed class StoredOpenInterestConfiguration : IEntityTypeConfiguration<StoredOpenInterest>
{
    public void Configure(EntityTypeBuilder<StoredOpenInterest> builder)
    {
        builder.ToTable("OpenInterest");
        builder.Property(t => t.Venue).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.Symbol).HasMaxLength(Position.MaxSymbolLength);
        // History backfill and polling can deliver the same point twice; one row per time.
        builder.HasIndex(t => new { t.Venue, t.Symbol, t.Time }).IsUnique();
        builder.HasIndex(t => t.Time);
    }
}

internal sealed class StoredBookConfiguration : IEntityTypeConfiguration<StoredBook>
{
    public void Configure(EntityTypeBuilder<StoredBook> builder)
    {
        builder.ToTable("BookSummaries");
        builder.Property(t => t.Venue).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.Symbol).HasMaxLength(Position.MaxSymbolLength);
        builder.HasIndex(t => new { t.Venue, t.Symbol, t.Time });
        builder.HasIndex(t => t.Time);
    }
}

internal sealed class StoredBarConfiguration : IEntityTypeConfiguration<StoredBar>
{
    public void Configure(EntityTypeBuilder<StoredBar> builder)
    {
        builder.ToTable("Bars");
        builder.Property(t => t.Venue).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.Symbol).HasMaxLength(Position.MaxSymbolLength);
        builder.Property(t => t.Market).HasConversion<string>().HasMaxLength(8);
        builder.HasIndex(t => new { t.Venue, t.Symbol, t.Market, t.IntervalSeconds, t.OpenTime }).IsUnique();
        builder.HasIndex(t => t.OpenTime);
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
