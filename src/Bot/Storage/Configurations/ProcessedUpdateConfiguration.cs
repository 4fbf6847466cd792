using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PerpGuard.Bot.Storage.Configurations;

internal sealed class ProcessedUpdateConfiguration : IEntityTypeConfiguration<ProcessedUpdate>
{
    public void Configure(EntityTypeBuilder<ProcessedUpdate> builder)
    {
        builder.ToTable("ProcessedUpdates");
        builder.HasKey(u => new { u.Platform, u.UpdateId });
        builder.Property(u => u.Platform).HasMaxLength(16);
    }
}
