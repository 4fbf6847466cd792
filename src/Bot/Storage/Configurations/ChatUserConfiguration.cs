using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PerpGuard.Bot.Storage.Configurations;

internal sealed class ChatUserConfiguration : IEntityTypeConfiguration<ChatUser>
{
    public void Configure(EntityTypeBuilder<ChatUser> builder)
    {
        builder.ToTable("Users");
        builder.Property(u => u.Platform).HasMaxLength(16);
        builder.Property(u => u.ExternalId).HasMaxLength(64);
        builder.Property(u => u.DisplayName).HasMaxLength(128);
        builder.Property(u => u.TimeZone).HasMaxLength(64);
        builder.Property(u => u.InactiveReason).HasMaxLength(128);
        builder.Property(u => u.DefaultVenue).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(u => new { u.Platform, u.ExternalId }).IsUnique();
        builder.HasMany(u => u.Positions).WithOne().HasForeignKey(p => p.OwnerId).OnDelete(DeleteBehavior.Cascade);

        builder.ComplexProperty(u => u.Alerts, alerts =>
        {
            // Levels as "0.2;0.1;0.05;0.02": readable in the database and independent of JSON support.
            alerts.Property(a => a.Levels).HasColumnName("AlertLevels").HasMaxLength(64).HasConversion(
                v => string.Join(';', v.Select(x => x.ToString("R", CultureInfo.InvariantCulture))),
                v => v.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray(),
                new ValueComparer<double[]>((a, b) => a!.SequenceEqual(b!), v => v.Aggregate(0, (h, x) => HashCode.Combine(h, x)), v => v.ToArray()));
            alerts.Property(a => a.HitChance).HasColumnName("AlertHitChance");
            alerts.Property(a => a.FundingShare).HasColumnName("AlertFundingShare");
            alerts.Property(a => a.QuietFrom).HasColumnName("QuietFrom");
            alerts.Property(a => a.QuietTo).HasColumnName("QuietTo");
            alerts.Property(a => a.CriticalInQuietHours).HasColumnName("CriticalInQuietHours");
            alerts.Property(a => a.DailyCap).HasColumnName("AlertDailyCap");
        });
    }
}
