using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PerpGuard.Bot.Storage.Configurations;

internal sealed class UserRuleConfiguration : IEntityTypeConfiguration<UserRule>
{
    public void Configure(EntityTypeBuilder<UserRule> builder)
    {
        builder.ToTable("Rules");
        builder.Property(r => r.Venue).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Symbol).HasMaxLength(Position.MaxSymbolLength);
        builder.Property(r => r.Rule).HasMaxLength(8);
        builder.Property(r => r.Parameters).HasMaxLength(UserRule.MaxParametersLength);
        builder.HasIndex(r => new { r.OwnerId, r.Venue, r.Symbol });
        builder.HasOne<ChatUser>().WithMany().HasForeignKey(r => r.OwnerId).OnDelete(DeleteBehavior.Cascade);
    }
}
