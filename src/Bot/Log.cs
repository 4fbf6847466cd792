using Microsoft.Extensions.Logging;

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
}
