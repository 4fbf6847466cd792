using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PerpGuard.Bot.Storage.Configurations;

internal sealed class PositionConfiguration : IEntityTypeConfiguration<Position>
{
    public void Configure(EntityTypeBuilder<Position> builder)
    {
        builder.ToTable("Positions");
        builder.Property(p => p.Venue).HasConversion<string>().HasMaxLength(16);
        builder.Property(p => p.Symbol).HasMaxLength(Position.MaxSymbolLength);
        builder.Property(p => p.Contract).HasConversion<string>().HasMaxLength(16);
        builder.Property(p => p.MarginMode).HasConversion<string>().HasMaxLength(16);
        builder.Property(p => p.Side).HasConversion<string>().HasMaxLength(8);
        builder.Property(p => p.Label).HasMaxLength(Position.MaxLabelLength);
        builder.HasIndex(p => p.OwnerId);
    }
}
