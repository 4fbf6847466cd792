using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace PerpGuard.Bot.Channels.Discord;

/// <summary>
/// The Discord channel (<c>Discord</c> section). It runs when <see cref="Token"/> is set; put the token in the
/// environment (<c>Discord__Token</c>) or user secrets, never in appsettings.json. It is never logged.
/// </summary>
public sealed class DiscordOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Discord";

    /// <summary>The public REST base.</summary>
    public const string PublicApi = "https://discord.com/api/v10";

    /// <summary>The bot token (Developer Portal → Bot → Reset Token). Empty: no Discord channel.</summary>
    public string? Token { get; set; }

    /// <summary>The application id (Developer Portal → General Information).</summary>
    public string? ApplicationId { get; set; }

    /// <summary>REST base URL; the gateway URL always comes from <c>GET /gateway/bot</c> on it.</summary>
    [Required, Url] public string ApiBaseUrl { get; set; } = PublicApi;

    /// <summary>Register the slash commands in this guild only (instant, for development) instead of globally.</summary>
    public string? GuildId { get; set; }

    /// <summary>How long any REST request may take.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")] public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a new connection may take to say Hello and then Ready (or Resumed).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")] public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>First wait before reconnecting after a failure; doubles (with jitter) up to <see cref="ReconnectMax"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")] public TimeSpan ReconnectFirst { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between reconnects.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")] public TimeSpan ReconnectMax { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// An interaction whose answer is not ready after this long is deferred ("thinking…") and edited when it is;
    /// Discord invalidates an interaction not acknowledged within 3 s. Zero: always defer.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:02.500")] public TimeSpan DeferAfter { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>A REST request waits at most this long for its rate-limit bucket; longer, it fails with the wait (alerts retry from the outbox).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")] public TimeSpan RateLimitWaitMax { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether the channel runs.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Token);
}

/// <summary>Checks the application id's shape and the timing order; never echoes the token.</summary>
public sealed class DiscordOptionsValidator : IValidateOptions<DiscordOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, DiscordOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled) return ValidateOptionsResult.Success;
        var failures = new List<string>();
        if (options.Token!.Any(char.IsWhiteSpace) || options.Token!.StartsWith("Bot ", StringComparison.OrdinalIgnoreCase))
            failures.Add("Discord:Token must be the bare bot token (no 'Bot ' prefix, no spaces)");
        if (!IsSnowflake(options.ApplicationId)) failures.Add("Discord:ApplicationId must be the application's numeric id (Developer Portal → General Information), e.g. 700000000000000001");
        if (options.GuildId is { Length: > 0 } guild && !IsSnowflake(guild)) failures.Add("Discord:GuildId must be a numeric guild id, or empty for global commands");
        if (options.ReconnectFirst > options.ReconnectMax) failures.Add("Discord:ReconnectFirst must not exceed Discord:ReconnectMax");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsSnowflake(string? id) => id is { Length: >= 1 and <= 20 } && id.All(char.IsAsciiDigit);
}
