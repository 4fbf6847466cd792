using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PerpGuard.Bot.Storage.Configurations;

internal sealed class AlertStateConfiguration : IEntityTypeConfiguration<AlertStateRow>
{
    public void Configure(EntityTypeBuilder<AlertStateRow> builder)
    {
        builder.ToTable("AlertStates");
        builder.HasKey(s => new { s.OwnerId, s.Key });
        builder.Property(s => s.Key).HasMaxLength(AlertStateRow.MaxKeyLength);
        builder.HasOne<ChatUser>().WithMany().HasForeignKey(s => s.OwnerId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AlertRecordConfiguration : IEntityTypeConfiguration<AlertRecord>
{
    public void Configure(EntityTypeBuilder<AlertRecord> builder)
    {
        builder.ToTable("Alerts");
        builder.Property(a => a.Key).HasMaxLength(AlertStateRow.MaxKeyLength);
        builder.Property(a => a.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.Severity).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.Step).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.Symbol).HasMaxLength(48);
        builder.Property(a => a.Summary).HasMaxLength(AlertRecord.MaxSummaryLength);
        builder.Property(a => a.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.Reason).HasMaxLength(256);
        builder.Property(a => a.LastError).HasMaxLength(256);
        builder.Property(a => a.IdempotencyKey).HasMaxLength(40);
        builder.HasIndex(a => a.IdempotencyKey).IsUnique();
        builder.HasIndex(a => new { a.Status, a.NextAttemptAt });
        builder.HasIndex(a => new { a.OwnerId, a.CreatedAt });
        builder.HasOne<ChatUser>().WithMany().HasForeignKey(a => a.OwnerId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MutedSymbolConfiguration : IEntityTypeConfiguration<MutedSymbol>
{
    public void Configure(EntityTypeBuilder<MutedSymbol> builder)
    {
        builder.ToTable("MutedSymbols");
        builder.HasKey(m => new { m.OwnerId, m.Asset });
        builder.Property(m => m.Asset).HasMaxLength(20);
        builder.HasOne<ChatUser>().WithMany().HasForeignKey(m => m.OwnerId).OnDelete(DeleteBehavior.Cascade);
    }
}
