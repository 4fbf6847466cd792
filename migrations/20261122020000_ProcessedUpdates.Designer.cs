using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

#nullable disable

namespace PerpGuard.Bot.Migrations
{
    partial class ProcessedUpdates
    {
        /// <summary>
        /// The model right after this migration: users, positions, market series, watches, rules, alert states, the
        /// alert history/outbox, muted symbols and the processed-update log.
        /// Frozen: EF uses it to rebuild SQLite tables when migrating down to here, and it must never change with the model.
        /// </summary>
        protected override void BuildTargetModel(ModelBuilder modelBuilder)
        {
            modelBuilder.HasAnnotation("ProductVersion", "10.0.14");

            modelBuilder.Entity("PerpGuard.Bot.Storage.AlertRecord", b =>
                {
                    b.Property<long>("Id")
                        .ValueGeneratedOnAdd()
                        .HasColumnType("INTEGER");

                    b.Property<int>("Attempts")
                        .HasColumnType("INTEGER");

                    b.Property<bool>("Counted")
                        .HasColumnType("INTEGER");

                    b.Property<long>("CreatedAt")
                        .HasColumnType("INTEGER");

                    b.Property<long?>("DigestId")
                        .HasColumnType("INTEGER");

                    b.Property<string>("IdempotencyKey")
                        .IsRequired()
                        .HasMaxLength(40)
                        .HasColumnType("TEXT");

                    b.Property<string>("Key")
                        .IsRequired()
                        .HasMaxLength(64)
                        .HasColumnType("TEXT");

                    b.Property<string>("Kind")
                        .HasMaxLength(16)
                        .HasColumnType("TEXT");

                    b.Property<string>("LastError")
                        .HasMaxLength(256)
                        .HasColumnType("TEXT");

                    b.Property<string>("Message")
                        .IsRequired()
                        .HasColumnType("TEXT");

                    b.Property<long>("NextAttemptAt")
                        .HasColumnType("INTEGER");

                    b.Property<long>("OwnerId")
                        .HasColumnType("INTEGER");

                    b.Property<long?>("PositionId")
                        .HasColumnType("INTEGER");

                    b.Property<string>("Reason")
                        .HasMaxLength(256)
                        .HasColumnType("TEXT");

                    b.Property<long?>("ReleaseAt")
                        .HasColumnType("INTEGER");

                    b.Property<long?>("SentAt")
                        .HasColumnType("INTEGER");

                    b.Property<string>("Severity")
                        .IsRequired()
                        .HasMaxLength(16)
                        .HasColumnType("TEXT");

                    b.Property<string>("Status")
                        .IsRequired()
                        .HasMaxLength(16)
                        .HasColumnType("TEXT");

                    b.Property<string>("Step")
                        .IsRequired()
                        .HasMaxLength(16)
                        .HasColumnType("TEXT");

                    b.Property<string>("Summary")
                        .IsRequired()
                        .HasMaxLength(256)
                        .HasColumnType("TEXT");

                    b.Property<string>("Symbol")
                        .HasMaxLength(48)
                        .HasColumnType("TEXT");

                    b.HasKey("Id");

                    b.HasIndex("IdempotencyKey")
                        .IsUnique();

                    b.HasIndex("OwnerId", "CreatedAt");

                    b.HasIndex("Status", "NextAttemptAt");

                    b.ToTable("Alerts");
                });

            modelBuilder.Entity("PerpGuard.Bot.Storage.AlertStateRow", b =>
                {
                    b.Property<long>("OwnerId")
                        .HasColumnType("INTEGER");

                    b.Property<string>("Key")
                        .HasMaxLength(64)
                        .HasColumnType("TEXT");

                    b.Property<int>("Flags")
                        .HasColumnType("INTEGER");

                    b.Property<int>("Level")
                        .HasColumnType("INTEGER");

                    b.Property<long>("SentAt")
                        .HasColumnType("INTEGER");

                    b.Property<int>("SentLevel")
                        .HasColumnType("INTEGER");

                    b.Property<int>("SnoozeLevel")
                        .HasColumnType("INTEGER");

                    b.Property<long>("SnoozedUntil")
                        .HasColumnType("INTEGER");

                    b.HasKey("OwnerId", "Key");

                    b.ToTable("AlertStates");
                });

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

                    b.Property<string>("InactiveReason")
                        .HasMaxLength(128)
                        .HasColumnType("TEXT");

                    b.Property<long?>("InactiveSince")
                        .HasColumnType("INTEGER");

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

                            b1.Property<int>("DailyCap")
                                .HasColumnType("INTEGER")
                                .HasColumnName("AlertDailyCap");

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

            modelBuilder.Entity("PerpGuard.Bot.Storage.MutedSymbol", b =>
                {
                    b.Property<long>("OwnerId")
                        .HasColumnType("INTEGER");

                    b.Property<string>("Asset")
                        .HasMaxLength(20)
                        .HasColumnType("TEXT");

                    b.Property<long?>("Until")
                        .HasColumnType("INTEGER");

                    b.HasKey("OwnerId", "Asset");

                    b.ToTable("MutedSymbols");
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

            modelBuilder.Entity("PerpGuard.Bot.Storage.ProcessedUpdate", b =>
                {
                    b.Property<string>("Platform")
                        .HasMaxLength(16)
                        .HasColumnType("TEXT");

                    b.Property<long>("UpdateId")
                        .HasColumnType("INTEGER");

                    b.Property<long>("HandledAt")
                        .HasColumnType("INTEGER");

                    b.HasKey("Platform", "UpdateId");

                    b.ToTable("ProcessedUpdates");
                });

            modelBuilder.Entity("PerpGuard.Bot.Storage.StoredBar", b =>
                {
                    b.Property<long>("Id")
                        .ValueGeneratedOnAdd()
                        .HasColumnType("INTEGER");

                    b.Property<double>("Close")
                        .HasColumnType("REAL");

                    b.Property<bool>("Closed")
                        .HasColumnType("INTEGER");

                    b.Property<double>("High")
                        .HasColumnType("REAL");

                    b.Property<int>("IntervalSeconds")
                        .HasColumnType("INTEGER");

                    b.Property<double>("Low")
                        .HasColumnType("REAL");

                    b.Property<string>("Market")
                        .IsRequired()
                        .HasMaxLength(8)
                        .HasColumnType("TEXT");

                    b.Property<double>("Open")
                        .HasColumnType("REAL");

                    b.Property<long>("OpenTime")
                        .HasColumnType("INTEGER");

                    b.Property<double?>("QuoteVolume")
                        .HasColumnType("REAL");

                    b.Property<string>("Symbol")
                        .IsRequired()
                        .HasMaxLength(32)
                        .HasColumnType("TEXT");

                    b.Property<double?>("TakerBuyVolume")
                        .HasColumnType("REAL");

                    b.Property<string>("Venue")
                        .IsRequired()
                        .HasMaxLength(16)
                        .HasColumnType("TEXT");

                    b.Property<double>("Volume")
                        .HasColumnType("REAL");

                    b.HasKey("Id");

                    b.HasIndex("Venue", "Symbol", "Market", "IntervalSeconds", "OpenTime")
                        .IsUnique();

                    b.HasIndex("OpenTime");

                    b.ToTable("Bars");
                });

            modelBuilder.Entity("PerpGuard.Bot.Storage.StoredBook", b =>
                {
                    b.Property<long>("Id")
                        .ValueGeneratedOnAdd()
                        .HasColumnType("INTEGER");

                    b.Property<double>("Ask05")
                        .HasColumnType("REAL");

                    b.Property<double>("Ask1")
                        .HasColumnType("REAL");

                    b.Property<double>("Ask2")
                        .HasColumnType("REAL");

                    b.Property<double>("Ask3")
                        .HasColumnType("REAL");

                    b.Property<double>("Ask5")
                        .HasColumnType("REAL");

                    b.Property<double>("BestAsk")
                        .HasColumnType("REAL");

                    b.Property<double>("BestBid")
                        .HasColumnType("REAL");

                    b.Property<double>("Bid05")
                        .HasColumnType("REAL");

                    b.Property<double>("Bid1")
                        .HasColumnType("REAL");

                    b.Property<double>("Bid2")
                        .HasColumnType("REAL");

                    b.Property<double>("Bid3")
                        .HasColumnType("REAL");

                    b.Property<double>("Bid5")
                        .HasColumnType("REAL");

                    b.Property<int>("Levels")
                        .HasColumnType("INTEGER");

                    b.Property<double>("Reach")
                        .HasColumnType("REAL");

                    b.Property<string>("Symbol")
                        .IsRequired()
                        .HasMaxLength(32)
                        .HasColumnType("TEXT");

                    b.Property<long>("Time")
                        .HasColumnType("INTEGER");

                    b.Property<string>("Venue")
                        .IsRequired()
                        .HasMaxLength(16)
                        .HasColumnType("TEXT");

                    b.HasKey("Id");

                    b.HasIndex("Venue", "Symbol", "Time");

                    b.HasIndex("Time");

                    b.ToTable("BookSummaries");
                });

            modelBuilder.Entity("PerpGuard.Bot.Storage.StoredOpenInterest", b =>
                {
                    b.Property<long>("Id")
                        .ValueGeneratedOnAdd()
                        .HasColumnType("INTEGER");

                    b.Property<double>("Coins")
                        .HasColumnType("REAL");

                    b.Property<string>("Symbol")
                        .IsRequired()
                        .HasMaxLength(32)
                        .HasColumnType("TEXT");

                    b.Property<long>("Time")
                        .HasColumnType("INTEGER");

                    b.Property<double>("Usd")
                        .HasColumnType("REAL");

                    b.Property<string>("Venue")
                        .IsRequired()
                        .HasMaxLength(16)
                        .HasColumnType("TEXT");

                    b.HasKey("Id");

                    b.HasIndex("Venue", "Symbol", "Time")
                        .IsUnique();

                    b.HasIndex("Time");

                    b.ToTable("OpenInterest");
                });

            modelBuilder.Entity("PerpGuard.Bot.Storage.StoredSpotTicker", b =>
                {
                    b.Property<long>("Id")
                        .ValueGeneratedOnAdd()
                        .HasColumnType("INTEGER");

                    b.Property<double>("Price")
                        .HasColumnType("REAL");

                    b.Property<double?>("QuoteVolume24h")
                        .HasColumnType("REAL");

                    b.Property<string>("SpotSymbol")
                        .IsRequired()
                        .HasMaxLength(32)
                        .HasColumnType("TEXT");

                    b.Property<string>("Symbol")
                        .IsRequired()
                        .HasMaxLength(32)
                        .HasColumnType("TEXT");

                    b.Property<long>("Time")
                        .HasColumnType("INTEGER");

                    b.Property<string>("Venue")
                        .IsRequired()
                        .HasMaxLength(16)
                        .HasColumnType("TEXT");

                    b.HasKey("Id");

                    b.HasIndex("Venue", "Symbol", "Time");

                    b.HasIndex("Time");

                    b.ToTable("SpotTickers");
                });

            modelBuilder.Entity("PerpGuard.Bot.Storage.StoredTicker", b =>
                {
                    b.Property<long>("Id")
                        .ValueGeneratedOnAdd()
                        .HasColumnType("INTEGER");

                    b.Property<double?>("FundingIntervalHours")
                        .HasColumnType("REAL");

                    b.Property<double?>("FundingRate")
                        .HasColumnType("REAL");

                    b.Property<double?>("Index")
                        .HasColumnType("REAL");

                    b.Property<double?>("Last")
                        .HasColumnType("REAL");

                    b.Property<double>("Mark")
                        .HasColumnType("REAL");

                    b.Property<long?>("NextFunding")
                        .HasColumnType("INTEGER");

                    b.Property<double?>("QuoteVolume24h")
                        .HasColumnType("REAL");

                    b.Property<string>("Symbol")
                        .IsRequired()
                        .HasMaxLength(32)
                        .HasColumnType("TEXT");

                    b.Property<long>("Time")
                        .HasColumnType("INTEGER");

                    b.Property<string>("Venue")
                        .IsRequired()
                        .HasMaxLength(16)
                        .HasColumnType("TEXT");

                    b.Property<double?>("Volume24h")
                        .HasColumnType("REAL");

                    b.HasKey("Id");

                    b.HasIndex("Venue", "Symbol", "Time");

                    b.HasIndex("Time");

                    b.ToTable("Tickers");
                });

            modelBuilder.Entity("PerpGuard.Bot.Storage.UserRule", b =>
                {
                    b.Property<long>("Id")
                        .ValueGeneratedOnAdd()
                        .HasColumnType("INTEGER");

                    b.Property<long>("CreatedAt")
                        .HasColumnType("INTEGER");

                    b.Property<long>("OwnerId")
                        .HasColumnType("INTEGER");

                    b.Property<string>("Parameters")
                        .IsRequired()
                        .HasMaxLength(256)
                        .HasColumnType("TEXT");

                    b.Property<string>("Rule")
                        .IsRequired()
                        .HasMaxLength(8)
                        .HasColumnType("TEXT");

                    b.Property<string>("Symbol")
                        .IsRequired()
                        .HasMaxLength(32)
                        .HasColumnType("TEXT");

                    b.Property<string>("Venue")
                        .IsRequired()
                        .HasMaxLength(16)
                        .HasColumnType("TEXT");

                    b.HasKey("Id");

                    b.HasIndex("OwnerId", "Venue", "Symbol");

                    b.ToTable("Rules");
                });

            modelBuilder.Entity("PerpGuard.Bot.Storage.WatchedSymbol", b =>
                {
                    b.Property<long>("Id")
                        .ValueGeneratedOnAdd()
                        .HasColumnType("INTEGER");

                    b.Property<long>("CreatedAt")
                        .HasColumnType("INTEGER");

                    b.Property<long>("OwnerId")
                        .HasColumnType("INTEGER");

                    b.Property<string>("Symbol")
                        .IsRequired()
                        .HasMaxLength(32)
                        .HasColumnType("TEXT");

                    b.Property<string>("Venue")
                        .IsRequired()
                        .HasMaxLength(16)
                        .HasColumnType("TEXT");

                    b.HasKey("Id");

                    b.HasIndex("OwnerId", "Venue", "Symbol")
                        .IsUnique();

                    b.ToTable("Watches");
                });

            modelBuilder.Entity("PerpGuard.Bot.Storage.AlertRecord", b =>
                {
                    b.HasOne("PerpGuard.Bot.Storage.ChatUser", null)
                        .WithMany()
                        .HasForeignKey("OwnerId")
                        .OnDelete(DeleteBehavior.Cascade)
                        .IsRequired();
                });

            modelBuilder.Entity("PerpGuard.Bot.Storage.AlertStateRow", b =>
                {
                    b.HasOne("PerpGuard.Bot.Storage.ChatUser", null)
                        .WithMany()
                        .HasForeignKey("OwnerId")
                        .OnDelete(DeleteBehavior.Cascade)
                        .IsRequired();
                });

            modelBuilder.Entity("PerpGuard.Bot.Storage.MutedSymbol", b =>
                {
                    b.HasOne("PerpGuard.Bot.Storage.ChatUser", null)
                        .WithMany()
                        .HasForeignKey("OwnerId")
                        .OnDelete(DeleteBehavior.Cascade)
                        .IsRequired();
                });

            modelBuilder.Entity("PerpGuard.Bot.Storage.Position", b =>
                {
                    b.HasOne("PerpGuard.Bot.Storage.ChatUser", null)
                        .WithMany("Positions")
                        .HasForeignKey("OwnerId")
                        .OnDelete(DeleteBehavior.Cascade)
                        .IsRequired();
                });

            modelBuilder.Entity("PerpGuard.Bot.Storage.UserRule", b =>
                {
                    b.HasOne("PerpGuard.Bot.Storage.ChatUser", null)
                        .WithMany()
                        .HasForeignKey("OwnerId")
                        .OnDelete(DeleteBehavior.Cascade)
                        .IsRequired();
                });

            modelBuilder.Entity("PerpGuard.Bot.Storage.WatchedSymbol", b =>
                {
                    b.HasOne("PerpGuard.Bot.Storage.ChatUser", null)
                        .WithMany()
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
