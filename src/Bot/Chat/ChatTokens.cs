using Microsoft.Extensions.Configuration;

namespace PerpGuard.Bot.Chat;

/// <summary>Which chat platforms have a bot token configured (environment variables or user secrets; never logged).</summary>
public static class ChatTokens
{
    /// <summary>Configuration keys of the bot tokens, by platform.</summary>
    public static IReadOnlyList<(string Platform, string Key)> Keys { get; } = [("Telegram", "Telegram:Token"), ("Discord", "Discord:Token")];

    /// <summary>The platforms whose token is set.</summary>
    public static IReadOnlyList<(string Platform, string Key)> Configured(IConfiguration configuration) =>
        [.. Keys.Where(k => !string.IsNullOrWhiteSpace(configuration[k.Key]))];
}
