using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

#nullable disable

namespace PerpGuard.Bot.Migrations
{
    partial class AlertSettings
    {
        /// <summary>
        /// The model right after this migration: users with their alert settings (the complex property <c>Alerts</c>), positions.
        /// Frozen: EF uses it to rebuild SQLite tables when migrating down to here, and it must never change with the model.
        /// </summary>
        protected override void BuildTargetModel(ModelBuilder modelBuilder)
        {
            modelBuilder.HasAnnotation("ProductVersion", "10.0.14");

            modelBuilder.Entity("PerpGuard.Bot.Storage.ChatUser", b =>
                {
                    b.Property<long>("Id")
                        .ValueGeneratedOnAdd()
                        .HasColumnType("INTEGER");

                    b.Property<long>("CreatedAt")
                        .HasColumnType("INTEGER");

                    b.Property<string>("DefaultVenue")
                        .IsRequired()
                        .HasMaxLength(16)
                        .HasColumnType("TEXT");

                    b.Property<string>("DisplayName")
                        .HasMaxLength(128)
                        .HasColumnType("TEXT");

                    b.Property<string>("ExternalId")
                        .IsRequired()
                        .HasMaxLength(64)
                        .HasColumnType("TEXT");

                    b.Property<bool>("IsActive")
                        .HasColumnType("INTEGER");

                    b.Property<long?>("MutedUntil")
                        .HasColumnType("INTEGER");

                    b.Property<string>("Platform")
                        .IsRequired()
                        .HasMaxLength(16)
                        .HasColumnType("TEXT");

                    b.Property<string>("TimeZone")
                        .IsRequired()
                        .HasMaxLength(64)
                        .HasColumnType("TEXT");

                    b.ComplexProperty(typeof(Dictionary<string, object>), "Alerts", "PerpGuard.Bot.Storage.ChatUser.Alerts#AlertSettings", b1 =>
                        {
                            b1.IsRequired();

                            b1.Property<bool>("CriticalInQuietHours")
                                .HasColumnType("INTEGER")
                                .HasColumnName("CriticalInQuietHours");

                            b1.Property<double>("FundingShare")
                                .HasColumnType("REAL")
                                .HasColumnName("AlertFundingShare");

                            b1.Property<double>("HitChance")
                                .HasColumnType("REAL")
                                .HasColumnName("AlertHitChance");

                            b1.Property<string>("Levels")
                                .IsRequired()
                                .HasMaxLength(64)
                                .HasColumnType("TEXT")
                                .HasColumnName("AlertLevels");

                            b1.Property<TimeOnly?>("QuietFrom")
                                .HasColumnType("TEXT")
                                .HasColumnName("QuietFrom");

                            b1.Property<TimeOnly?>("QuietTo")
                                .HasColumnType("TEXT")
                                .HasColumnName("QuietTo");
                        });

                    b.HasKey("Id");

                    b.HasIndex("Platform", "ExternalId")
                        .IsUnique();

                    b.ToTable("Users");
                });

            modelBuilder.Entity("PerpGuard.Bot.Storage.Position", b =>
                {
                    b.Property<long>("Id")
                        .ValueGeneratedOnAdd()
                        .HasColumnType("INTEGER");

                    b.Property<string>("Contract")
                        .IsRequired()
                        .HasMaxLength(16)
                        .HasColumnType("TEXT");

                    b.Property<long>("CreatedAt")
                        .HasColumnType("INTEGER");

                    b.Property<double>("Entry")
                        .HasColumnType("REAL");

                    b.Property<string>("Label")
                        .HasMaxLength(64)
                        .HasColumnType("TEXT");

                    b.Property<double?>("Leverage")
                        .HasColumnType("REAL");

                    b.Property<double?>("Margin")
                        .HasColumnType("REAL");

                    b.Property<string>("MarginMode")
                        .IsRequired()
                        .HasMaxLength(16)
                        .HasColumnType("TEXT");

                    b.Property<double?>("Mmr")
                        .HasColumnType("REAL");

                    b.Property<long>("OwnerId")
                        .HasColumnType("INTEGER");

                    b.Property<double>("Quantity")
                        .HasColumnType("REAL");

                    b.Property<string>("Side")
                        .IsRequired()
                        .HasMaxLength(8)
                        .HasColumnType("TEXT");

                    b.Property<string>("Symbol")
                        .IsRequired()
                        .HasMaxLength(32)
                        .HasColumnType("TEXT");

                    b.Property<long>("UpdatedAt")
                        .HasColumnType("INTEGER");

                    b.Property<string>("Venue")
                        .IsRequired()
                        .HasMaxLength(16)
                        .HasColumnType("TEXT");

                    b.Property<double?>("Wallet")
                        .HasColumnType("REAL");

                    b.HasKey("Id");

                    b.HasIndex("OwnerId");

                    b.ToTable("Positions");
                });

            modelBuilder.Entity("PerpGuard.Bot.Storage.Position", b =>
                {
                    b.HasOne("PerpGuard.Bot.Storage.ChatUser", null)
                        .WithMany("Positions")
                        .HasForeignKey("OwnerId")
                        .OnDelete(DeleteBehavior.Cascade)
                        .IsRequired();
                });

            modelBuilder.Entity("PerpGuard.Bot.Storage.ChatUser", b =>
                {
                    b.Navigation("Positions");
                });
        }
    }
}
