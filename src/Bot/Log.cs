using Microsoft.Extensions.Logging;
using PerpGuard.Bot.Market;

namespace PerpGuard.Bot;

/// <summary>Every log message of the Bot, as compile-time generated <c>[LoggerMessage]</c> methods.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "calc --jsonl finished: {Lines} lines, {Errors} with errors")]
    public static partial void JsonlFinished(this ILogger logger, long lines, long errors);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Could not read standard input")]
    public static partial void StdinUnreadable(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Applied {Count} database migrations: {Migrations}")]
    public static partial void MigrationsApplied(this ILogger logger, int count, IReadOnlyList<string> migrations);

    [LoggerMessage(EventId = 20, Level = LogLevel.Error, Message = "Command /{Command} from {Platform} failed")]
    public static partial void CommandFailed(this ILogger logger, Exception exception, string command, string platform);

    [LoggerMessage(EventId = 30, Level = LogLevel.Debug, Message = "Channel {Channel} stopped receiving")]
    public static partial void ChannelEnded(this ILogger logger, string channel);

    [LoggerMessage(EventId = 31, Level = LogLevel.Error, Message = "Channel {Channel} failed")]
    public static partial void ChannelFailed(this ILogger logger, Exception exception, string channel);

    [LoggerMessage(EventId = 32, Level = LogLevel.Debug, Message = "Every chat channel has ended; stopping")]
    public static partial void AllChannelsEnded(this ILogger logger);

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "{Venue} {Symbol} {Feed}: {Problem}; keeping the last good value")]
    public static partial void MarketFeedFailed(this ILogger logger, PerpGuard.Core.Venues.Venue venue, string symbol, MarketFeed feed, string problem);

    [LoggerMessage(EventId = 41, Level = LogLevel.Debug, Message = "{Venue} {Symbol} {Feed}: still failing ({Problem})")]
    public static partial void MarketFeedStillFailing(this ILogger logger, PerpGuard.Core.Venues.Venue venue, string symbol, MarketFeed feed, string problem);

    [LoggerMessage(EventId = 42, Level = LogLevel.Information, Message = "{Venue} {Symbol} {Feed}: data flowing again")]
    public static partial void MarketFeedRecovered(this ILogger logger, PerpGuard.Core.Venues.Venue venue, string symbol, MarketFeed feed);

    [LoggerMessage(EventId = 43, Level = LogLevel.Error, Message = "{Venue} {Job} failed unexpectedly")]
    public static partial void PollFailed(this ILogger logger, Exception exception, string venue, string job);

    [LoggerMessage(EventId = 44, Level = LogLevel.Information, Message = "Retention removed {Rows} market-data rows older than {Cutoff:u}")]
    public static partial void RetentionApplied(this ILogger logger, int rows, DateTimeOffset cutoff);

    [LoggerMessage(EventId = 50, Level = LogLevel.Information, Message = "Replaying {Name} at {Speed}x: {From:u} to {To:u} ({Events} events, {History} loaded as history)")]
    public static partial void ReplayStarted(this ILogger logger, string name, double speed, DateTimeOffset from, DateTimeOffset to, int events, int history);

    [LoggerMessage(EventId = 51, Level = LogLevel.Information, Message = "Replay {Name} finished at {At:u}; the market stays as of then")]
    public static partial void ReplayFinished(this ILogger logger, string name, DateTimeOffset at);

    [LoggerMessage(EventId = 60, Level = LogLevel.Debug, Message = "Alert {Id} for user {Owner}: {Kind} {Severity} {Step} -> {Status}: {Summary}")]
    public static partial void AlertDecided(this ILogger logger, long id, long owner, PerpGuard.Core.Alerts.AlertKind kind, PerpGuard.Core.Alerts.AlertSeverity severity, PerpGuard.Core.Alerts.AlertStep step, PerpGuard.Bot.Storage.AlertStatus status, string summary);

    [LoggerMessage(EventId = 61, Level = LogLevel.Warning, Message = "Alert {Id} to {Platform} user {Owner} failed (attempt {Attempt}, retry at {Retry:u}): {Error}")]
    public static partial void AlertSendFailed(this ILogger logger, long id, string platform, long owner, int attempt, DateTimeOffset retry, string error);

    [LoggerMessage(EventId = 62, Level = LogLevel.Warning, Message = "{Platform} delivery to user {Owner} stopped: {Reason}")]
    public static partial void DeliveryDeactivated(this ILogger logger, string platform, long owner, string reason);

    [LoggerMessage(EventId = 63, Level = LogLevel.Error, Message = "Alert {Id} to user {Owner} given up after {Attempts} attempts: {Error}")]
    public static partial void AlertGivenUp(this ILogger logger, long id, long owner, int attempts, string error);

    [LoggerMessage(EventId = 64, Level = LogLevel.Error, Message = "Alert sweep failed; the next market update retries it")]
    public static partial void AlertSweepFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 65, Level = LogLevel.Information, Message = "Replay demo: added {Positions} positions and {Rules} rule for the console user (/positions, /alerts; /remove to drop them)")]
    public static partial void ReplayDemoAdded(this ILogger logger, int positions, int rules);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "Removed a migration lock taken at {Stamp} by a process that did not finish; migrating now")]
    public static partial void StaleMigrationLockCleared(this ILogger logger, string stamp);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "The database has a migration lock taken at {Stamp}: waiting for it to be released, or to be older than {Stale} (then it is a dead process's and is removed)")]
    public static partial void WaitingForMigrationLock(this ILogger logger, string stamp, TimeSpan stale);
    [LoggerMessage(EventId = 33, Level = LogLevel.Error, Message = "Channel {Channel} stopped: {Reason}")]
    public static partial void ChannelFatal(this ILogger logger, string channel, string reason);

    [LoggerMessage(EventId = 70, Level = LogLevel.Information, Message = "Telegram: serving as @{Username} ({Mode})")]
    public static partial void TelegramStarted(this ILogger logger, string username, Channels.Telegram.TelegramMode mode);

    [LoggerMessage(EventId = 71, Level = LogLevel.Warning, Message = "Telegram: {Error}; retrying in {Wait}")]
    public static partial void TelegramPollFailed(this ILogger logger, string error, TimeSpan wait);

    [LoggerMessage(EventId = 72, Level = LogLevel.Error, Message = "Telegram: 409 Conflict ({Description}): another process is receiving this bot's updates. Attempt {Count} of {Max}; waiting {Wait}")]
    public static partial void TelegramConflict(this ILogger logger, string description, int count, int max, TimeSpan wait);

    [LoggerMessage(EventId = 73, Level = LogLevel.Warning, Message = "Telegram: a webhook was set for this bot; deleting it to receive by polling (Telegram:Mode=polling)")]
    public static partial void TelegramWebhookDeleted(this ILogger logger);

    [LoggerMessage(EventId = 74, Level = LogLevel.Warning, Message = "Telegram {Method} failed: {Code} {Description}")]
    public static partial void TelegramRequestFailed(this ILogger logger, string method, int code, string description);

    [LoggerMessage(EventId = 75, Level = LogLevel.Error, Message = "Telegram update {UpdateId} could not be handled; it is skipped")]
    public static partial void TelegramUpdateFailed(this ILogger logger, Exception exception, long updateId);

    [LoggerMessage(EventId = 81, Level = LogLevel.Error, Message = "Telegram: a batch of updates could not be handled; it is received again in {Wait}")]
    public static partial void TelegramBatchFailed(this ILogger logger, Exception exception, TimeSpan wait);

    [LoggerMessage(EventId = 90, Level = LogLevel.Information, Message = "Discord: gateway {State} (session {SessionId})")]
    public static partial void DiscordConnected(this ILogger logger, string state, string sessionId);

    [LoggerMessage(EventId = 91, Level = LogLevel.Warning, Message = "Discord: {Reason}; reconnecting ({Mode}) in {Wait}")]
    public static partial void DiscordReconnecting(this ILogger logger, string reason, string mode, TimeSpan wait);

    [LoggerMessage(EventId = 92, Level = LogLevel.Warning, Message = "Discord {Route} failed: {Status} {Code} {Description}")]
    public static partial void DiscordRequestFailed(this ILogger logger, string route, int status, int code, string description);

    [LoggerMessage(EventId = 93, Level = LogLevel.Error, Message = "Discord interaction {InteractionId} could not be handled")]
    public static partial void DiscordInteractionFailed(this ILogger logger, Exception exception, string interactionId);

    [LoggerMessage(EventId = 94, Level = LogLevel.Information, Message = "Discord: registered {Count} slash commands ({Scope})")]
    public static partial void DiscordCommandsRegistered(this ILogger logger, int count, string scope);

    [LoggerMessage(EventId = 76, Level = LogLevel.Debug, Message = "Telegram update {UpdateId} was handled before a restart; confirming it without running it again")]
    public static partial void TelegramUpdateSkipped(this ILogger logger, long updateId);

    [LoggerMessage(EventId = 77, Level = LogLevel.Information, Message = "Telegram user {UserId} is not on Telegram:AllowedUsers; refused")]
    public static partial void TelegramUserRefused(this ILogger logger, long userId);

    [LoggerMessage(EventId = 78, Level = LogLevel.Information, Message = "Telegram user {UserId}: a command {Age} old was not run")]
    public static partial void TelegramStaleCommand(this ILogger logger, long userId, TimeSpan age);

    [LoggerMessage(EventId = 79, Level = LogLevel.Warning, Message = "Telegram webhook: a request from {Remote} without the right secret header was refused")]
    public static partial void TelegramWebhookRefused(this ILogger logger, string remote);

    [LoggerMessage(EventId = 80, Level = LogLevel.Information, Message = "Telegram webhook: listening on {Listen}{Path}")]
    public static partial void TelegramWebhookListening(this ILogger logger, string listen, string path);
}
